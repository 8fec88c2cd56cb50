namespace CustomerAdvocateBot.BotFramework.Hosting;

public sealed class BotHostingOptions
{
    public const string Section = "Bot";

    /// <summary>Largest request body accepted on the messaging endpoint.</summary>
    public int MaxActivityBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// How long one turn may run. Kept under Teams' 15-second limit; the turn does not depend on the caller staying
    /// connected, and long work (AI) continues in the background after it.
    /// </summary>
    public TimeSpan TurnTimeout { get; set; } = TimeSpan.FromSeconds(12);

    /// <summary>
    /// How long the apology after a failed turn may take. Turn timeout plus this stays under Teams' 15 seconds, so a slow
    /// or dead connector cannot hold the request.
    /// </summary>
    public TimeSpan ApologyTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Bot Connector hosts the bot accepts as <c>serviceUrl</c> and sends to (exact, or <c>*.domain</c>); empty means
    /// <see cref="Connector.ServiceUrlPolicy.DefaultHosts"/>. Loopback http is allowed in Development only.
    /// </summary>
    public string[]? AllowedServiceUrlHosts { get; set; }

    /// <summary>What the bot says in the conversation when a handler fails.</summary>
    public string ApologyText { get; set; } = "Sorry, something went wrong on my side and that was not saved. Please try again in a moment.";
}
