// The package's core without its 70 locales (its `main`, entry-node.js, registers them all: 718 KB in
// a Lambda bundle); the locales the ingest reads are registered by hand. Same API, same types.
declare module 'i18n-iso-countries/index.js' {
  export * from 'i18n-iso-countries';
}
