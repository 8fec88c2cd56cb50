using Azure.AI.OpenAI;
using CustomerAdvocateBot.Advisor;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Digest;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Tests.Advisor;

/// <summary>Registration and validation: AI only when configured, validated only when someone started configuring it.</summary>
public sealed class AzureOpenAISetupTests
{
    [Test]
    public void NotConfigured_NoClient_RuleBasedAdvisor_TemplatedNarrator()
    {
        using var logs = new LogCapture();
        using var services = AiTestServices.Build(new Dictionary<string, string?>(), logs);

        Assert.Multiple(() =>
        {
            Assert.That(services.GetService<AzureOpenAIClient>(), Is.Null);
            Assert.That(services.GetRequiredService<ICustomerAdvocateAdvisor>().IsEnabled, Is.False);
            Assert.That(services.GetRequiredService<IDigestNarrator>(), Is.InstanceOf<TemplatedDigestNarrator>());
            Assert.That(services.GetRequiredService<IOptions<AzureOpenAIOptions>>().Value.IsConfigured, Is.False);
        });
    }

    [Test]
    public void Configured_ClientAndAiImplementations()
    {
        using var logs = new LogCapture();
        using var services = AiTestServices.Build(new Dictionary<string, string?>
        {
            ["AzureOpenAI:Endpoint"] = "https://example-resource.openai.azure.com/",
            ["AzureOpenAI:Deployment"] = "gpt-4o-mini",
        }, logs);

        Assert.Multiple(() =>
        {
            Assert.That(services.GetService<AzureOpenAIClient>(), Is.Not.Null, "managed identity (DefaultAzureCredential) when there is no key");
            Assert.That(services.GetRequiredService<ICustomerAdvocateAdvisor>(), Is.InstanceOf<AzureOpenAIAdvisor>());
            Assert.That(services.GetRequiredService<IDigestNarrator>(), Is.InstanceOf<AzureOpenAIDigestNarrator>());
        });
    }

    [TestCase("https://example.openai.azure.com/", null, "Deployment must be set together")]
    [TestCase(null, "gpt-4o-mini", "Deployment must be set together")]
    [TestCase("http://example.openai.azure.com/", "gpt-4o-mini", "must use https")]
    [TestCase("not a url", "gpt-4o-mini", "not an absolute https URL")]
    public void HalfOrUnsafeConfiguration_FailsValidation(string? endpoint, string? deployment, string problem)
    {
        var result = new AzureOpenAIOptionsValidator().Validate(null, new AzureOpenAIOptions { Endpoint = endpoint, Deployment = deployment });

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain(problem));
    }

    [TestCase(null, null)]
    [TestCase("https://example.openai.azure.com/", "gpt-4o-mini")]
    [TestCase("http://127.0.0.1:5000/", "gpt-4o-mini")]
    public void EmptyOrSoundConfiguration_Passes(string? endpoint, string? deployment) =>
        Assert.That(new AzureOpenAIOptionsValidator().Validate(null, new AzureOpenAIOptions { Endpoint = endpoint, Deployment = deployment }).Succeeded, Is.True);

    [Test]
    public async Task ConfiguredWithBadTimeout_StopsStartUp()
    {
        var result = await LocalBotProcess.RunExpectingStartFailureAsync(new Dictionary<string, string?>
        {
            ["AzureOpenAI:Endpoint"] = "https://example.openai.azure.com/",
            ["AzureOpenAI:Deployment"] = "gpt-4o-mini",
            ["AzureOpenAI:Timeout"] = "00:00:00",
        }, environment: "Development");

        Assert.That(result.ExitCode, Is.Not.EqualTo(0), result.Describe());
        Assert.That(result.StandardOutput + result.StandardError, Does.Contain("AzureOpenAI:Timeout"));
    }
}
