using System.Text;

namespace ReactiveKv.Keyspace;

/// <summary>Writes an HTTP API answer body in plain or JSON mode (§11.2, §11.3); JSON escapes only <c>"</c>, as the server does.</summary>
internal static class HttpAnswer
{
    private const string NotFound = "Key not found";
    private const string Unable = "Unable to process your request at this time";

    /// <summary>The body for <paramref name="replies"/>; <paramref name="rejection"/> is set when the node refused the command.</summary>
    public static byte[] Format(HttpCommand command, string mode, List<ServerReply> replies, string? rejection)
    {
        var body = FormatText(command, mode, replies, rejection);
        return mode == "html" ? Html(command, replies, body, rejection is null) : body;
    }

    private static byte[] FormatText(HttpCommand command, string mode, List<ServerReply> replies, string? rejection)
    {
        var json = mode == "json";
        var reply = replies[0];
        if (rejection is not null || reply.Kind == (byte)'n')
        {
            return Error(Unable, json);
        }

        return command.Style switch
        {
            HttpStyle.Keys or HttpStyle.KeyValues => List(command, replies, json),
            HttpStyle.Status => Status(reply.Kind == (byte)'o', json),
            HttpStyle.Found => reply.Kind == (byte)'o' ? Status(true, json) : Error(NotFound, json),
            _ => Value(command, reply, json),
        };
    }

    // HTML mode: a title, then one link per listed key (to its get), or the plain answer.
    private static byte[] Html(HttpCommand command, List<ServerReply> replies, byte[] plain, bool accepted)
    {
        using var page = new MemoryStream();
        Write(page, false, "<html><head><title>Keyspace</title></head><body>");
        if (command.IsList && accepted)
        {
            foreach (var item in replies.Where(r => r.Kind is (byte)'i' or (byte)'j'))
            {
                Write(page, false, "<a href=\"/html/get?key=", item.Key!, "\">", item.Key!, "</a><br/>");
            }
        }
        else
        {
            Write(page, false, plain);
        }

        Write(page, false, "</body></html>");
        return page.ToArray();
    }

    private static byte[] Value(HttpCommand command, ServerReply reply, bool json)
    {
        if (reply.Kind != (byte)'o')
        {
            // Only a safe get's miss says "Key not found"; every other failure is "unable".
            return Error(command.Request.Letter == (byte)'g' ? NotFound : Unable, json);
        }

        return json ? Concat("{\"", command.Name, "\":\"", reply.Value ?? [], "\"}") : reply.Value ?? [];
    }

    private static byte[] Status(bool ok, bool json) =>
        json ? Encoding.ASCII.GetBytes(ok ? "{\"status\":\"ok\"}" : "{\"status\":\"failed\"}") : Encoding.ASCII.GetBytes(ok ? "OK" : "Failed");

    private static byte[] Error(string type, bool json) =>
        Encoding.ASCII.GetBytes(json ? $"{{\"status\":\"error\",\"type\":\"{type}\"}}" : type);

    private static byte[] List(HttpCommand command, List<ServerReply> replies, bool json)
    {
        var items = replies.Where(r => r.Kind is (byte)'i' or (byte)'j').ToList();
        var values = command.Style == HttpStyle.KeyValues;
        using var body = new MemoryStream();
        if (json)
        {
            Write(body, true, "{\"", command.Name, values ? "\":{" : "\":[");
        }

        for (var i = 0; i < items.Count; i++)
        {
            var (key, value) = (items[i].Key!, items[i].Value ?? []);
            if (json)
            {
                Write(body, true, i > 0 ? ",\"" : "\"", key, values ? "\":\"" : "\"", values ? value : [], values ? "\"" : "");
            }
            else
            {
                Write(body, false, key, values ? " => " : "", values ? value : [], "\n");
            }
        }

        if (json)
        {
            Write(body, true, values ? "}}" : "]}");
        }

        return body.ToArray();
    }

    private static byte[] Concat(params object[] parts)
    {
        using var body = new MemoryStream();
        Write(body, true, parts);
        return body.ToArray();
    }

    private static void Write(MemoryStream body, bool json, params object[] parts)
    {
        foreach (var part in parts)
        {
            body.Write(part is byte[] bytes ? (json ? Escape(bytes) : bytes) : Encoding.ASCII.GetBytes((string)part));
        }
    }

    // Byte parts are user data; in JSON only the quote is escaped (plain mode has none to escape).
    private static byte[] Escape(byte[] bytes) => bytes.Contains((byte)'"') ? [.. bytes.SelectMany(b => b == '"' ? "\\\""u8.ToArray() : [b])] : bytes;
}
