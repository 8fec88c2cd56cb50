// Linux App Service plan and the .NET 10 web app that runs the bot, with its logs sent to Log Analytics.

@description('Azure region.')
param location string

param planName string
param webAppName string

@description('App Service plan SKU, e.g. B1, S1, P0v3 (F1 works but cannot stay always on).')
param planSku string

@description('Instances (plan workers); with autoscale, the minimum.')
@minValue(1)
param instanceCount int = 1

@description('Maximum instances for CPU-based autoscale; 0 = none. Only Standard (S*) and Premium (P*) plans can autoscale.')
@minValue(0)
param autoscaleMaxInstances int = 0

@description('Resource id of the user-assigned managed identity the app runs as.')
param identityResourceId string

@description('App settings (name/value pairs) for the bot; nothing secret, they are recorded with the deployment.')
param appSettings array

@description('Secret mode only: the app registration\'s client secret, set as MicrosoftAppPassword. Empty for the managed identity.')
@secure()
param appPassword string = ''

@description('Log Analytics workspace that receives the app\'s console and HTTP logs.')
param workspaceId string

param tags object = {}

var secretSettings = empty(appPassword)
  ? []
  : [
      {
        name: 'MicrosoftAppPassword'
        value: appPassword
      }
    ]

// Port the app listens on inside the container. App Service forwards 80/443 to it (WEBSITES_PORT), and the app
// settings set Urls=http://+:<port> so Kestrel binds there instead of appsettings.json's http://localhost:3978.
var containerPort = 8080

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: planSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

// Autoscale exists on Standard and Premium plans only (not Free/Basic), so a rule is created only on those.
var skuTier = toUpper(substring(planSku, 0, 1))
var autoscale = autoscaleMaxInstances > instanceCount && (skuTier == 'S' || skuTier == 'P')

resource cpuAutoscale 'Microsoft.Insights/autoscalesettings@2022-10-01' = if (autoscale) {
  name: '${planName}-cpu'
  location: location
  tags: tags
  properties: {
    enabled: true
    targetResourceUri: plan.id
    profiles: [
      {
        name: 'cpu'
        capacity: {
          minimum: string(instanceCount)
          maximum: string(autoscaleMaxInstances)
          default: string(instanceCount)
        }
        rules: [
          {
            metricTrigger: {
              metricName: 'CpuPercentage'
              metricResourceUri: plan.id
              timeGrain: 'PT1M'
              statistic: 'Average'
              timeWindow: 'PT10M'
              timeAggregation: 'Average'
              operator: 'GreaterThan'
              threshold: 70
            }
            scaleAction: {
              direction: 'Increase'
              type: 'ChangeCount'
              value: '1'
              cooldown: 'PT10M'
            }
          }
          {
            metricTrigger: {
              metricName: 'CpuPercentage'
              metricResourceUri: plan.id
              timeGrain: 'PT1M'
              statistic: 'Average'
              timeWindow: 'PT10M'
              timeAggregation: 'Average'
              operator: 'LessThan'
              threshold: 30
            }
            scaleAction: {
              direction: 'Decrease'
              type: 'ChangeCount'
              value: '1'
              cooldown: 'PT10M'
            }
          }
        ]
      }
    ]
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: webAppName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityResourceId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'DOTNETCORE|10.0'
      alwaysOn: !startsWith(toUpper(planSku), 'F') && toUpper(planSku) != 'D1'
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      // /readyz, not /healthz: an instance that cannot reach its tables leaves the load balancer's rotation (and is
      // replaced if it stays so), while /healthz would keep sending it traffic it can only apologise for. deploy/README.md.
      healthCheckPath: '/readyz'
      appSettings: concat(appSettings, secretSettings, [
        {
          name: 'WEBSITES_PORT'
          value: string(containerPort)
        }
        {
          name: 'Urls'
          value: 'http://+:${containerPort}'
        }
      ])
    }
  }
}

// No basic-auth publishing (FTP or SCM): deployments go through Entra ID (az webapp deploy).
resource ftp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

resource logs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: site
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
    ]
  }
}

output autoscaleEnabled bool = autoscale
output hostName string = site.properties.defaultHostName
output name string = site.name
