// Optional Azure OpenAI account and model deployment, reached only with Entra ID (local auth disabled).

@description('Azure region of the Azure OpenAI account (the model must be offered there).')
param location string

@description('Account name; also its custom subdomain, which Entra ID authentication requires.')
param accountName string

@description('Principal (object) id of the managed identity that calls the model.')
param principalId string

@description('Resource id of that identity: names the role assignment with a value known before deployment.')
param identityResourceId string

@description('Name of the model deployment the bot calls.')
param deploymentName string

@description('Model name, e.g. gpt-4o-mini.')
param modelName string

@description('Model version, e.g. 2024-07-18.')
param modelVersion string

@description('Deployment SKU, e.g. GlobalStandard or Standard.')
param skuName string

@description('Capacity in thousands of tokens per minute.')
@minValue(1)
param capacity int

param tags object = {}

// Cognitive Services OpenAI User: call deployed models, nothing else.
var openAIUserRoleId = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: accountName
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  properties: {
    customSubDomainName: accountName
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource deployment 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: deploymentName
  sku: {
    name: skuName
    capacity: capacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: modelName
      version: modelVersion
    }
  }
}

resource openAIUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, identityResourceId, openAIUserRoleId)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', openAIUserRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output endpoint string = account.properties.endpoint
output deploymentName string = deployment.name
