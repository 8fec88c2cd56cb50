// The storage account for the bot's tables, reached only with Entra ID (no account keys), and the identity's role on it.

@description('Azure region.')
param location string

@description('Storage account name: 3-24 lower-case letters and digits.')
@minLength(3)
@maxLength(24)
param accountName string

@description('Principal (object) id of the managed identity that reads and writes the tables.')
param principalId string

@description('Resource id of that identity: names the role assignment with a value known before deployment.')
param identityResourceId string

param tags object = {}

// Storage Table Data Contributor: read, write and delete tables and entities.
var tableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: accountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowCrossTenantReplication: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      services: {
        table: {
          enabled: true
          keyType: 'Account'
        }
        blob: {
          enabled: true
          keyType: 'Account'
        }
      }
    }
  }
}

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, identityResourceId, tableDataContributorRoleId)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', tableDataContributorRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

@description('The table service endpoint, e.g. https://<account>.table.core.windows.net/')
output tableEndpoint string = account.properties.primaryEndpoints.table
output accountName string = account.name
