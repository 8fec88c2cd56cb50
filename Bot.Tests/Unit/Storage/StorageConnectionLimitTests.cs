using System.Net;
using System.Net.Sockets;
using System.Text;
using Azure.Data.Tables;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAdvocateBot.Tests.Unit.Storage;

/// <summary>
/// The app's Table Storage client keeps at most <c>Storage:MaxConnections</c> connections open: a burst of calls waits
/// for them in turn instead of opening one each (docs/storage.md says why). The storage end is a socket that counts
/// connections and holds every request until released, so the bound shows while calls are waiting.
/// </summary>
[Category("Unit")]
public sealed class StorageConnectionLimitTests
{
    [Test]
    public async Task ABurstOfCalls_UsesAtMostTheConfiguredConnections_AndEveryCallCompletes()
    {
        using var storage = new HoldingTableServer();
        await using var app = Compose(storage.Port, maxConnections: 2);
        var table = app.Services.GetRequiredService<TableServiceClient>().GetTableClient("Decisions");

        var calls = Enumerable.Range(0, 6).Select(i => table.GetEntityIfExistsAsync<TableEntity>("tenant", $"D|{i}")).ToList();
        await storage.WaitForRequestsAsync(2);
        await Task.Delay(300); // time for a third connection to arrive, were it allowed
        var whileHeld = (storage.Connections, storage.Requests);
        storage.Release();
        var results = await Task.WhenAll(calls);

        Assert.Multiple(() =>
        {
            Assert.That(whileHeld, Is.EqualTo((2, 2)), "two connections, one request on each, the other four waiting");
            Assert.That(results.Select(r => r.HasValue), Is.All.False, "every call got its answer (not found)");
            Assert.That(storage.Connections, Is.EqualTo(2), "the waiting calls reused the two connections");
            Assert.That(storage.Requests, Is.EqualTo(6));
        });
    }

    private static WebApplication Compose(int port, int maxConnections)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Storage"] = TestEnvironment.StorageConnectionStringAt(port),
            ["Storage:MaxConnections"] = maxConnections.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MicrosoftAppId"] = string.Empty,
            ["Telemetry:ConsoleExporter"] = "false",
        });
        builder.AddCustomerAdvocateBot();
        return builder.Build();
    }

    /// <summary>
    /// Answers every request on a kept-alive connection with Table Storage's 404 for a missing entity, but only once
    /// <see cref="Release"/> was called.
    /// </summary>
    private sealed class HoldingTableServer : IDisposable
    {
        private const string NotFoundBody = """{"odata.error":{"code":"ResourceNotFound","message":{"lang":"en-US","value":"The specified resource does not exist."}}}""";
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _stop = new();
        private int _connections;
        private int _requests;

        public HoldingTableServer()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Connections => Volatile.Read(ref _connections);

        public int Requests => Volatile.Read(ref _requests);

        public void Release() => _released.TrySetResult();

        public async Task WaitForRequestsAsync(int count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (Requests < count)
            {
                await Task.Delay(10, timeout.Token);
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                Interlocked.Increment(ref _connections);
                _ = ServeAsync(client);
            }
        }

        // GETs only (no request body): a request ends at its blank line.
        private async Task ServeAsync(TcpClient client)
        {
            using var _ = client;
            var stream = client.GetStream();
            var buffer = new byte[8192];
            var pending = new StringBuilder();
            try
            {
                while (true)
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    pending.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    int end;
                    while ((end = pending.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal)) >= 0)
                    {
                        pending.Remove(0, end + 4);
                        Interlocked.Increment(ref _requests);
                        await _released.Task.WaitAsync(_stop.Token);
                        var answer = $"HTTP/1.1 404 Not Found\r\nContent-Type: application/json;odata=minimalmetadata;charset=utf-8\r\nx-ms-error-code: ResourceNotFound\r\nContent-Length: {NotFoundBody.Length}\r\n\r\n{NotFoundBody}";
                        await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), _stop.Token);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
            {
            }
        }
    }
}
