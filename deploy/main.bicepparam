// Example parameters (see deploy/README.md):
//   az deployment group create -g <group> -n custadv -f deploy/main.bicep -p deploy/main.bicepparam
// The bot's identity comes from the environment, so the same file serves both modes and no secret is ever written here:
//   default                 the user-assigned managed identity, nothing to set
//   secret mode             BOT_APP_TYPE=SingleTenant BOT_APP_ID=<app registration client id> BOT_APP_PASSWORD=<client secret>
using './main.bicep'

param name = 'custadv'
param appType = readEnvironmentVariable('BOT_APP_TYPE', 'UserAssignedMSI')
param appId = readEnvironmentVariable('BOT_APP_ID', '')
param appPassword = readEnvironmentVariable('BOT_APP_PASSWORD', '')
param botSku = 'F0'

// The decision history tab: its SSO app (default: the bot's app registration) and the Teams app id for deep links.
param tabSsoAppId = readEnvironmentVariable('TAB_SSO_APP_ID', '')
param teamsAppId = readEnvironmentVariable('TEAMS_APP_ID', '')
param appServicePlanSku = 'B1'

// The AI advisor's Azure OpenAI account and model (the model must be offered in openAILocation).
param deployOpenAI = bool(readEnvironmentVariable('DEPLOY_OPENAI', 'false'))
param openAILocation = readEnvironmentVariable('OPENAI_LOCATION', 'swedencentral')
param openAIModelName = 'gpt-4o-mini'
param openAIModelVersion = '2024-07-18'
