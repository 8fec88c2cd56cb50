using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CustomerAdvocateBot.Tests.TestSupport;

/// <summary>
/// Records what the app logs (at Warning and above under <see cref="BotApp"/>), with the fields of the logging scopes the
/// entry was written in, so tests can assert why something happened and what it was about.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
    private TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<LogEntry> Entries => _entries.ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    /// <summary>Waits until an entry matching <paramref name="where"/> is logged: woken by each new entry, not by polling.</summary>
    public async Task<LogEntry> WaitForAsync(Func<LogEntry, bool> where, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            // Take the signal before looking, so an entry written in between still wakes this waiter.
            var written = Volatile.Read(ref _written).Task;
            if (_entries.FirstOrDefault(where) is { } entry)
            {
                return entry;
            }

            try
            {
                await written.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("Expected log entry not written. Logged: " + string.Join(" | ", _entries.Select(e => e.Message)));
            }
        }
    }

    public void Dispose()
    {
    }

    private void Add(LogEntry entry)
    {
        _entries.Enqueue(entry);
        Interlocked.Exchange(ref _written, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private sealed class Logger(string category, LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture.Add(new LogEntry(category, logLevel, eventId.Id, formatter(state, exception), exception) { Scope = ScopeFields() });

        // Inner scopes win over outer ones with the same key, as structured sinks treat them.
        private Dictionary<string, object?> ScopeFields()
        {
            var fields = new Dictionary<string, object?>();
            capture._scopes.ForEachScope(
                (scope, into) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var (key, value) in pairs)
                        {
                            into[key] = value;
                        }
                    }
                },
                fields);
            return fields;
        }
    }
}

public sealed record LogEntry(string Category, LogLevel Level, int EventId, string Message, Exception? Exception)
{
    /// <summary>The fields of every logging scope open when the entry was written.</summary>
    public IReadOnlyDictionary<string, object?> Scope { get; init; } = new Dictionary<string, object?>();
}
