// The part of zod/mini the contracts use, as named re-exports. zod.ts exports `z` as a namespace
// *value*, and esbuild must then build that whole namespace object: over `zod/mini` itself it holds
// every locale, toJSONSchema and the rest of zod's core, 420 KB that no tree shaking can remove
// (each Lambda bundle measured 685 KB). Over this list, only what is named here is bundled.
// A member missing here is a type error at its first use (`Property 'x' does not exist`): add it.
export {
  array,
  boolean,
  config,
  discriminatedUnion,
  email,
  enum,
  gte,
  int,
  iso,
  literal,
  looseObject,
  lte,
  maxLength,
  minLength,
  nullable,
  number,
  object,
  omit,
  optional,
  partial,
  record,
  refine,
  regex,
  strictObject,
  string,
  superRefine,
  union,
  unknown,
  url,
} from 'zod/mini';
// Types only: `core` as a value is zod's entire core, the very thing this file keeps out.
export type { core, infer, input, output, ZodMiniType } from 'zod/mini';
