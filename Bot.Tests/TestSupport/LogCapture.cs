using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>Records what the app logs (at Warning and above under <see cref="BotApp"/>), so tests can assert why something happened.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => _entries.ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    /// <summary>Waits until an entry matching <paramref name="where"/> is logged.</summary>
    public async Task<LogEntry> WaitForAsync(Func<LogEntry, bool> where, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (_entries.FirstOrDefault(where) is { } entry)
            {
                return entry;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Expected log entry not written. Logged: " + string.Join(" | ", _entries.Select(e => e.Message)));
            }

            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new LogEntry(category, logLevel, eventId.Id, formatter(state, exception), exception));
    }
}

public sealed record LogEntry(string Category, LogLevel Level, int EventId, string Message, Exception? Exception);
