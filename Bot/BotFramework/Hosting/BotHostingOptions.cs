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

    /// <summary>What the bot says in the conversation when a handler fails.</summary>
    public string ApologyText { get; set; } = "Sorry, something went wrong on my side and that was not saved. Please try again in a moment.";
}
