// Customer Advocate Bot in one resource group: identity, storage, monitoring, optional Azure OpenAI, the web app and the
// Azure Bot with its Teams channel. See deploy/README.md for the commands.
targetScope = 'resourceGroup'

@description('Short name used in every resource name (letters, digits and hyphens).')
@minLength(3)
@maxLength(16)
param name string = 'custadv'

@description('Azure region for everything except the bot (global) and, optionally, Azure OpenAI.')
param location string = resourceGroup().location

@description('UserAssignedMSI (default): the bot authenticates as a user-assigned managed identity, no secret. SingleTenant: an app registration with a client secret (appId, appPassword).')
@allowed([
  'UserAssignedMSI'
  'SingleTenant'
])
param appType string = 'UserAssignedMSI'

@description('SingleTenant only: the app registration\'s application (client) id.')
param appId string = ''

@description('SingleTenant only: a client secret of that app registration.')
@secure()
param appPassword string = ''

@description('Azure Bot pricing tier: F0 (free) or S1.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('App Service plan SKU (Linux), e.g. B1, S1, P0v3.')
param appServicePlanSku string = 'B1'

@description('Instances (plan workers) the bot runs on. Several instances share the tables safely; see deploy/README.md.')
@minValue(1)
@maxValue(10)
param instanceCount int = 1

@description('Maximum instances for CPU-based autoscale (above 70% for 10 minutes: +1; below 30%: -1). 0 = no autoscale. Needs a Standard or Premium plan SKU (S1, P0v3, ...); instanceCount is the minimum.')
@minValue(0)
@maxValue(10)
param autoscaleMaxInstances int = 0

@description('Deploy an Azure OpenAI account and model for the optional AI advisor.')
param deployOpenAI bool = false

@description('Region of the Azure OpenAI account (the model must be available there).')
param openAILocation string = location

@description('Azure OpenAI model.')
param openAIModelName string = 'gpt-4o-mini'

@description('Azure OpenAI model version.')
param openAIModelVersion string = '2024-07-18'

@description('Azure OpenAI deployment SKU.')
param openAIDeploymentSku string = 'GlobalStandard'

@description('Azure OpenAI capacity, in thousands of tokens per minute.')
@minValue(1)
param openAICapacity int = 10

@description('Tags applied to every resource.')
param tags object = {
  app: 'customer-advocate-bot'
}

var suffix = uniqueString(resourceGroup().id, name)
var baseName = '${name}-${suffix}'
var webAppName = 'app-${baseName}'
var isManagedIdentity = appType == 'UserAssignedMSI'
var tenantId = tenant().tenantId

// The identity the web app runs as: it reaches storage (and Azure OpenAI) in both modes, and is the bot's own identity
// in UserAssignedMSI mode.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${baseName}'
  location: location
  tags: tags
}

var botAppId = isManagedIdentity ? identity.properties.clientId : (empty(appId) ? fail('appType SingleTenant needs appId (the app registration\'s client id).') : appId)
var botPassword = isManagedIdentity ? '' : (empty(appPassword) ? fail('appType SingleTenant needs appPassword (a client secret).') : appPassword)

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    baseName: baseName
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    accountName: take('st${toLower(replace(name, '-', ''))}${suffix}', 24)
    principalId: identity.properties.principalId
    identityResourceId: identity.id
    tags: tags
  }
}

module openAI 'modules/openai.bicep' = if (deployOpenAI) {
  name: 'openai'
  params: {
    location: openAILocation
    accountName: 'oai-${baseName}'
    principalId: identity.properties.principalId
    identityResourceId: identity.id
    deploymentName: openAIModelName
    modelName: openAIModelName
    modelVersion: openAIModelVersion
    skuName: openAIDeploymentSku
    capacity: openAICapacity
    tags: tags
  }
}

var botSettings = [
  {
    name: 'MicrosoftAppType'
    value: appType
  }
  {
    name: 'MicrosoftAppId'
    value: botAppId
  }
  {
    name: 'MicrosoftAppTenantId'
    value: tenantId
  }
]
var storageSettings = [
  {
    name: 'Storage__TableServiceUri'
    value: storage.outputs.tableEndpoint
  }
  {
    name: 'Storage__ManagedIdentityClientId'
    value: identity.properties.clientId
  }
]
var openAISettings = deployOpenAI
  ? [
      {
        name: 'AzureOpenAI__Endpoint'
        value: openAI!.outputs.endpoint
      }
      {
        name: 'AzureOpenAI__Deployment'
        value: openAI!.outputs.deploymentName
      }
    ]
  : []
var hostSettings = [
  {
    name: 'ASPNETCORE_ENVIRONMENT'
    value: 'Production'
  }
  {
    // DefaultAzureCredential anywhere in the app picks the user-assigned identity.
    name: 'AZURE_CLIENT_ID'
    value: identity.properties.clientId
  }
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: monitoring.outputs.appInsightsConnectionString
  }
  {
    // Application Insights auto-instrumentation of the .NET app on Linux.
    name: 'ApplicationInsightsAgent_EXTENSION_VERSION'
    value: '~3'
  }
]

module app 'modules/app.bicep' = {
  name: 'app'
  params: {
    location: location
    planName: 'asp-${baseName}'
    webAppName: webAppName
    planSku: appServicePlanSku
    instanceCount: instanceCount
    autoscaleMaxInstances: autoscaleMaxInstances
    identityResourceId: identity.id
    appPassword: botPassword
    appSettings: concat(botSettings, storageSettings, openAISettings, hostSettings)
    workspaceId: monitoring.outputs.workspaceId
    tags: tags
  }
}

module bot 'modules/bot.bicep' = {
  name: 'bot'
  params: {
    botName: 'bot-${baseName}'
    displayName: 'Customer Advocate'
    sku: botSku
    appType: appType
    appId: botAppId
    tenantId: tenantId
    identityResourceId: identity.id
    endpoint: 'https://${app.outputs.hostName}/api/messages'
    tags: tags
  }
}

@description('The bot\'s messaging endpoint, as registered on the Azure Bot.')
output messagingEndpoint string = bot.outputs.endpoint

@description('The bot\'s app id: pass it to manifest/package.sh --bot-id.')
output botAppId string = botAppId

@description('The table service endpoint the bot uses (Storage__TableServiceUri).')
output tableEndpoint string = storage.outputs.tableEndpoint

@description('The web app\'s host name: pass it to manifest/package.sh --domain.')
output webAppHostName string = app.outputs.hostName

@description('The web app\'s name, for az webapp deploy.')
output webAppName string = app.outputs.name

@description('Client id of the managed identity the web app runs as.')
output managedIdentityClientId string = identity.properties.clientId
