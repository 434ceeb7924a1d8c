// asl-validator ships no types: the part scripts/validate-asl.ts uses.
declare module 'asl-validator' {
  interface AslValidatorError {
    'Error code': string;
    Message: string;
  }
  interface AslValidatorOptions {
    checkPaths: boolean;
    checkArn: boolean;
  }
  function validator(
    definition: unknown,
    options?: AslValidatorOptions,
  ): { isValid: boolean; errors: AslValidatorError[]; errorsText(separator?: string): string };
  export default validator;
}
