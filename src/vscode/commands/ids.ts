/** Every command id in one place (must match package.json `contributes.commands`; a test checks both ways). */
export const CommandIds = {
  runTool: 'mcpHost.runTool',
  insertResource: 'mcpHost.insertResource',
  openResource: 'mcpHost.openResource',
  usePrompt: 'mcpHost.usePrompt',
  startServer: 'mcpHost.startServer',
  stopServer: 'mcpHost.stopServer',
  restartServer: 'mcpHost.restartServer',
  showServerLog: 'mcpHost.showServerLog',
  addServer: 'mcpHost.addServer',
  openConfiguration: 'mcpHost.openConfiguration',
  refresh: 'mcpHost.refresh',
  resetServerTrust: 'mcpHost.resetServerTrust',
  signIn: 'mcpHost.signIn',
  signOut: 'mcpHost.signOut',
  showHostLog: 'mcpHost.showHostLog',
  copyResourceUri: 'mcpHost.copyResourceUri',
  insertToolResult: 'mcpHost.insertToolResult',
  saveResourceAs: 'mcpHost.saveResourceAs',
  saveToolResultAs: 'mcpHost.saveToolResultAs',
  setLogLevel: 'mcpHost.setLogLevel',
  askModel: 'mcpHost.askModel',
  showContextCost: 'mcpHost.showContextCost',
} as const;

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];
