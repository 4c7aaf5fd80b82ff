using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;
using ReactiveKv.Redis;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Redis;

/// <summary>
/// A cluster client that can read the slot map from no node logs it with its stable event id, in
/// the client's category, so alerts can key on it.
/// </summary>
public sealed class RedisClusterMapLogTests
{
    [Fact]
    public async Task AMapRefreshThatNoNodeAnswers_IsLoggedWithTheTopologyEventId()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using var fixture = new ReactorFixture(new ReactorOptions { LoopCount = 1, LoggerFactory = loggerFactory });
        var port = fixture.Reactor.ListenTcp(0, new ServerFactory(() => new ClusterModeWithoutSlots()));
        try
        {
            var options = RedisOptions.Parse($"redis://127.0.0.1:{port.Port}?connect_timeout=5");

            var error = await Assert.ThrowsAsync<RedisConnectionException>(() => RedisClient.ConnectAsync(fixture.Reactor, options).Within());

            Assert.Contains("slot map", error.Message, StringComparison.Ordinal);
            var entry = logs.Entries.First(e => e.EventId.Id == ClientEventIds.TopologyRefreshFailed);
            Assert.Equal(LogLevel.Warning, entry.Level);
            Assert.Equal("ReactiveKv.Clients.Redis", entry.Category);
            Assert.Equal(nameof(ClientEventIds.TopologyRefreshFailed), entry.EventId.Name);
        }
        finally
        {
            await port.StopListening().ToTask();
        }
    }

    /// <summary>Says it is a cluster node in HELLO's reply, then refuses every other command (CLUSTER SHARDS/SLOTS too).</summary>
    private sealed class ClusterModeWithoutSlots : LineReceiver
    {
        private readonly List<string> _arguments = [];
        private int _remaining;

        protected override void LineReceived(in ReadOnlySequence<byte> line)
        {
            var text = Encoding.UTF8.GetString(line);
            if (_remaining == 0 && text.StartsWith('*'))
            {
                _arguments.Clear();
                _remaining = int.Parse(text[1..], System.Globalization.CultureInfo.InvariantCulture) * 2;
                return;
            }

            if (--_remaining % 2 == 0)
            {
                _arguments.Add(text);
            }

            if (_remaining > 0)
            {
                return;
            }

            Transport.Write(string.Equals(_arguments[0], "HELLO", StringComparison.OrdinalIgnoreCase)
                ? "%3\r\n$6\r\nserver\r\n$5\r\nredis\r\n$5\r\nproto\r\n:3\r\n$4\r\nmode\r\n$7\r\ncluster\r\n"u8
                : "-ERR This fake node has no slots\r\n"u8);
        }
    }
}
