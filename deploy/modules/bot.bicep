// The Azure Bot resource (global) with its Teams channel.

@description('Bot resource name (globally unique handle).')
param botName string

@description('Display name shown in the Azure portal.')
param displayName string

@description('F0 (free, standard channels) or S1.')
@allowed([
  'F0'
  'S1'
])
param sku string

@description('How the bot authenticates: UserAssignedMSI or SingleTenant.')
@allowed([
  'UserAssignedMSI'
  'SingleTenant'
])
param appType string

@description('The bot\'s app (client) id: the managed identity\'s client id, or the app registration\'s id.')
param appId string

@description('Tenant of the identity.')
param tenantId string

@description('Resource id of the user-assigned managed identity (UserAssignedMSI only).')
param identityResourceId string

@description('HTTPS messaging endpoint, https://<host>/api/messages.')
param endpoint string

param tags object = {}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botName
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: sku
  }
  properties: {
    displayName: displayName
    endpoint: endpoint
    msaAppType: appType
    msaAppId: appId
    msaAppTenantId: tenantId
    msaAppMSIResourceId: appType == 'UserAssignedMSI' ? identityResourceId : null
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

output endpoint string = bot.properties.endpoint
