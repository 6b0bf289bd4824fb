/** Server definitions: read (JSONC, settings), validate, and resolve for launch. The public API of config/. */
export * from './types';
export { configFilePaths, describeSource, loadConfig, parseClaudeJson, parseMcpJson, parseSettingsServers, serverId, serversSetting } from './load';
export type { ConfigFileInput, ConfigFileKind, ConfigInput, SourceResult } from './load';
export { CONFIG_FILES, CONFIG_FILES_GLOB, configFileOf } from './files';
export type { ConfigFileSpec } from './files';
export { ConfigResolveError, expandHome, resolveLaunch, restrictedFolderUseMessage, sourceFolder, workspaceFolderFields } from './resolve';
export type { ResolveContext } from './resolve';
export { forgetInputs, InputCancelledError, inputScope, isInputCancelledError, rememberedInputs, resolveInput } from './inputs';
export type { InputStores, RememberedInput } from './inputs';
export { definitionKey, definitionScope, stableStringify } from './definitionKey';
export { findVariables, parseVariable } from './variables';
export type { VariableRef } from './variables';
