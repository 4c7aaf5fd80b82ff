using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ReactiveKv.Amqp;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Amqp;

/// <summary>
/// Interop with pika (Debian's python3-pika, run with /usr/bin/python3): a message pika publishes with every property
/// and every header type it can encode is read intact by this client, and the other way round, pika reads a message
/// this client published with every property and every field type RabbitMQ accepts. The scripts are in Amqp/Interop.
/// </summary>
[Collection("rabbitmq")]
[Trait("Category", "Broker")]
public sealed class AmqpPikaInteropTests(RabbitMqFixture fixture) : IAsyncLifetime
{
    private const string Python = "/usr/bin/python3";
    private readonly ReactorFixture _reactor = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _reactor.DisposeAsync();

    [Fact]
    public async Task AMessagePikaPublished_WithEveryPropertyAndHeaderType_IsReadIntact()
    {
        var vhost = fixture.VhostName();
        var url = await fixture.Broker.AddVhostAsync(vhost);
        await RunPython("pika_publish.py", fixture.Broker.Port.ToString(), vhost, "from-pika");
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, url).Within();

        var got = await connection.CreateChannel().Get("from-pika", autoAck: true).ToTask().Within();

        Assert.NotNull(got);
        Assert.Equal("{\"from\":\"pika\"}", got.BodyText);
        var p = got.Properties;
        Assert.Equal("application/json", p.ContentType);
        Assert.Equal("utf-8", p.ContentEncoding);
        Assert.Equal((byte)2, p.DeliveryMode);
        Assert.Equal((byte)5, p.Priority);
        Assert.Equal("corr-1", p.CorrelationId);
        Assert.Equal("reply-queue", p.ReplyTo);
        Assert.Equal("600000", p.Expiration);
        Assert.Equal("msg-1", p.MessageId);
        Assert.Equal(new AmqpTimestamp(1764896523), p.Timestamp);
        Assert.Equal("interop.test", p.Type);
        Assert.Equal("guest", p.UserId);
        Assert.Equal("pika-interop", p.AppId);
        Assert.Equal("cluster-x", p.ClusterId);

        var h = p.Headers!;
        Assert.Equal(["str", "bytes", "int", "negative", "big", "true", "false", "decimal", "decimal_whole", "datetime", "dict", "list", "none"], h.Keys);
        Assert.Equal("h\u00e9llo w\u00f6rld \u2603", h["str"]);
        Assert.Equal(new byte[] { 0x00, 0x01, 0xfe, 0xff }, Assert.IsType<byte[]>(h["bytes"]));
        Assert.Equal(42, h["int"]); // pika sends an int as 'I' when it fits 32 bits, else as 'l'
        Assert.Equal(-7, h["negative"]);
        Assert.Equal(1L << 40, h["big"]);
        Assert.Equal(true, h["true"]);
        Assert.Equal(false, h["false"]);
        Assert.Equal(new AmqpDecimal(2, 314), h["decimal"]);
        Assert.Equal(3.14m, ((AmqpDecimal)h["decimal"]!).ToDecimal());
        Assert.Equal(new AmqpDecimal(0, 1000), h["decimal_whole"]);
        Assert.Equal(new AmqpTimestamp(new DateTimeOffset(2026, 12, 5, 1, 2, 3, TimeSpan.Zero).ToUnixTimeSeconds()), h["datetime"]);
        var dict = Assert.IsType<FieldTable>(h["dict"]);
        Assert.Equal(1, dict["a"]);
        Assert.Equal("c", Assert.IsType<FieldTable>(dict["nested"])["b"]);
        var list = Assert.IsType<List<object?>>(h["list"]);
        Assert.Equal(5, list.Count);
        Assert.Equal(1, list[0]);
        Assert.Equal("two", list[1]);
        Assert.Equal(true, list[2]);
        Assert.Null(list[3]);
        Assert.Equal(new object?[] { 3 }, Assert.IsType<List<object?>>(list[4]));
        Assert.Null(h["none"]);
    }

    [Fact]
    public async Task AMessageThisClientPublished_WithEveryPropertyAndFieldType_IsReadIntactByPika()
    {
        var vhost = fixture.VhostName();
        var url = await fixture.Broker.AddVhostAsync(vhost);
        await using var connection = await AmqpConnection.ConnectAsync(_reactor.Reactor, url).Within();
        var channel = connection.CreateChannel(confirms: true);
        await channel.QueueDeclare("to-pika").ToTask().Within();
        var properties = new BasicProperties
        {
            ContentType = "text/plain",
            ContentEncoding = "utf-8",
            DeliveryMode = 2,
            Priority = 7,
            CorrelationId = "corr-2",
            ReplyTo = "replies",
            Expiration = "600000",
            MessageId = "msg-2",
            Timestamp = new AmqpTimestamp(1764896523),
            Type = "interop.reverse",
            UserId = "guest",
            AppId = "reactivekv",
            ClusterId = "cluster-y",
            Headers = new FieldTable
            {
                ["bool"] = true,
                ["sbyte"] = (sbyte)-5,
                ["byte"] = (byte)200,
                ["short"] = (short)-300,
                ["ushort"] = (ushort)60000,
                ["int"] = -100000,
                ["uint"] = 4_000_000_000u,
                ["long"] = 1234567890123L,
                ["negative_long"] = -2L,
                ["float"] = 1.5f,
                ["double"] = 2.75,
                ["decimal"] = new AmqpDecimal(2, 314),
                ["string"] = "\u2603 snow",
                ["bytes"] = new byte[] { 0x00, 0xff },
                ["array"] = new List<object?> { 1, "a", true, null },
                ["timestamp"] = new AmqpTimestamp(1764896523),
                ["table"] = new FieldTable { ["x"] = 1, ["y"] = new FieldTable { ["z"] = "deep" } },
                ["void"] = null,
            },
        };
        await channel.Publish("", "to-pika", "from .NET \u2603", properties).ToTask().Within();

        using var json = JsonDocument.Parse(await RunPython("pika_consume.py", fixture.Broker.Port.ToString(), vhost, "to-pika"));
        var root = json.RootElement;

        Assert.Equal("from .NET \u2603", Encoding.UTF8.GetString(Convert.FromHexString(root.GetProperty("body").GetString()!)));
        Assert.Equal("text/plain", root.GetProperty("content_type").GetString());
        Assert.Equal("utf-8", root.GetProperty("content_encoding").GetString());
        Assert.Equal(2, root.GetProperty("delivery_mode").GetInt32());
        Assert.Equal(7, root.GetProperty("priority").GetInt32());
        Assert.Equal("corr-2", root.GetProperty("correlation_id").GetString());
        Assert.Equal("replies", root.GetProperty("reply_to").GetString());
        Assert.Equal("600000", root.GetProperty("expiration").GetString());
        Assert.Equal("msg-2", root.GetProperty("message_id").GetString());
        Assert.Equal(1764896523, root.GetProperty("timestamp").GetInt64());
        Assert.Equal("interop.reverse", root.GetProperty("type").GetString());
        Assert.Equal("guest", root.GetProperty("user_id").GetString());
        Assert.Equal("reactivekv", root.GetProperty("app_id").GetString());
        Assert.Equal("cluster-y", root.GetProperty("cluster_id").GetString());

        Assert.Equal(properties.Headers.Keys, root.GetProperty("header_order").EnumerateArray().Select(e => e.GetString()));
        var h = root.GetProperty("headers");
        Assert.Equal(("bool", "True"), Header(h, "bool"));
        // pika 1.2 decodes 'b' as unsigned and 'B' as signed (swapped), 'l' as unsigned, and 'f'/'d' through int():
        // the bytes are RabbitMQ's dialect as sent (RabbitMQ itself reads them back as written); these are pika's readings.
        Assert.Equal(("int", "251"), Header(h, "sbyte"));
        Assert.Equal(("int", "-56"), Header(h, "byte"));
        Assert.Equal(("int", "-300"), Header(h, "short"));
        Assert.Equal(("int", "60000"), Header(h, "ushort"));
        Assert.Equal(("int", "-100000"), Header(h, "int"));
        Assert.Equal(("int", "4000000000"), Header(h, "uint"));
        Assert.Equal(("int", "1234567890123"), Header(h, "long"));
        Assert.Equal(("int", "18446744073709551614"), Header(h, "negative_long")); // 2^64 - 2
        Assert.Equal(("int", "1"), Header(h, "float"));
        Assert.Equal(("int", "2"), Header(h, "double"));
        Assert.Equal(("decimal", "3.14"), Header(h, "decimal"));
        Assert.Equal(("str", "\u2603 snow"), Header(h, "string"));
        Assert.Equal(("bytes", "00ff"), Header(h, "bytes"));
        Assert.Equal(("datetime", "2025-12-05T01:02:03"), Header(h, "timestamp"));
        Assert.Equal(("none", ""), Header(h, "void"));
        var array = h.GetProperty("array");
        Assert.Equal("list", array.GetProperty("t").GetString());
        Assert.Equal(["int:1", "str:a", "bool:True", "none:"], array.GetProperty("v").EnumerateArray().Select(e => $"{e.GetProperty("t").GetString()}:{Text(e.GetProperty("v"))}"));
        var table = h.GetProperty("table");
        Assert.Equal("dict", table.GetProperty("t").GetString());
        Assert.Equal(("int", "1"), Header(table.GetProperty("v"), "x"));
        var inner = table.GetProperty("v").GetProperty("y");
        Assert.Equal("dict", inner.GetProperty("t").GetString());
        Assert.Equal(("str", "deep"), Header(inner.GetProperty("v"), "z"));
    }

    private static (string Type, string Value) Header(JsonElement headers, string name)
    {
        var entry = headers.GetProperty(name);
        return (entry.GetProperty("t").GetString()!, Text(entry.GetProperty("v")));
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "",
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.String => value.GetString()!,
        _ => value.GetRawText(),
    };

    private static async Task<string> RunPython(string script, params string[] args)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Amqp", "Interop", script));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Python}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().Within();
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"{script} exited with {process.ExitCode}: {await stderr}{await stdout}");
        return await stdout;
    }
}
