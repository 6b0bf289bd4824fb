/**
 * JSON Schema (tool `inputSchema`s) -> form fields for quick input, validation and coercion of what the user
 * enters, full validation of JSON-editor documents, and skeleton documents. Pure logic: no `vscode`, no network.
 */
export { schemaToFields, fieldRootSchema } from './fields';
export { summarizeArguments, describeType } from './describe';
export type { FieldType, EnumOption, FormField, SchemaFields } from './fields';
export { validateFieldInput, coerceFieldInput, fieldInputText, fieldHint, findEnumOption, FieldInputError } from './input';
export { validateArguments, validateArgumentsAsync, prepareArgumentsCheck, tooCostlyMessage, schemaSizeProblem, MAX_SCHEMA_JSON_LENGTH, MAX_SCHEMA_NODES, MAX_SCHEMA_DEPTH, MAX_ERRORS } from './validate';
export type { ArgumentError, ArgumentValidation } from './validate';
export { skeletonFromSchema, MAX_SKELETON_NODES } from './skeleton';
export type { SkeletonOptions } from './skeleton';
export { safeRegExp, unsafePatternReason, maxInputLength, MAX_PATTERN_LENGTH, MAX_PATTERN_INPUT_LENGTH } from './safeRegExp';
export type { SafeRegExp } from './safeRegExp';
export { resolveLocalRef, deref } from './jsonSchema';
export type { JsonSchema } from './jsonSchema';
