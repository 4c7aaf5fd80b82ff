"""Writes the AMQP 0-9-1 method records (Protocols/Amqp/Wire/Methods), their decoder switch and the test samples
from the table below, RabbitMQ's dialect of the spec's XML. Run it after changing the table:
    python3 Protocols/Amqp/Tools/amqp_methods.py
The output is committed, so the build needs no Python."""
# (class, id, [(method, id, content, summary, [(type, Name, doc)])])
# types: octet short long longlong shortstr longstr(byte[]) text(longstr as string) bit table; '-type' reserved
SPEC = [
("connection", 10, [
 ("start", 10, False, "The server's greeting: its version, properties and the SASL mechanisms and locales it offers.", [
   ("octet","VersionMajor","Protocol major version (0)."),
   ("octet","VersionMinor","Protocol minor version (9)."),
   ("table","ServerProperties","The server's product, version, platform and capabilities."),
   ("text","Mechanisms","Space-separated SASL mechanisms the server accepts."),
   ("text","Locales","Space-separated message locales the server offers.")]),
 ("start-ok", 11, False, "The client's answer to connection.start: its properties, chosen mechanism and first SASL response.", [
   ("table","ClientProperties","The client's product, version, platform and capabilities."),
   ("shortstr","Mechanism","The SASL mechanism chosen."),
   ("longstr","Response","The SASL response (for PLAIN, \\0user\\0password)."),
   ("shortstr","Locale","The message locale chosen.")]),
 ("secure", 20, False, "A further SASL challenge from the server.", [
   ("longstr","Challenge","The SASL challenge.")]),
 ("secure-ok", 21, False, "The client's answer to a SASL challenge.", [
   ("longstr","Response","The SASL response.")]),
 ("tune", 30, False, "The server's proposed connection limits.", [
   ("short","ChannelMax","Highest channel number the server allows (0: no limit)."),
   ("long","FrameMax","Largest frame the server accepts, header and frame-end included (0: no limit)."),
   ("short","Heartbeat","Heartbeat interval in seconds the server wants (0: none).")]),
 ("tune-ok", 31, False, "The limits the client settles on.", [
   ("short","ChannelMax","Highest channel number the client will use."),
   ("long","FrameMax","Largest frame either side may send."),
   ("short","Heartbeat","Heartbeat interval in seconds (0: none).")]),
 ("open", 40, False, "Opens the connection to a virtual host.", [
   ("shortstr","VirtualHost","The virtual host to use."),
   ("-shortstr","Capabilities",""),
   ("-bit","Insist","")]),
 ("open-ok", 41, False, "The server accepted the virtual host.", [
   ("-shortstr","KnownHosts","")]),
 ("close", 50, False, "Closes the connection, giving the reason and the method that caused it.", [
   ("short","ReplyCode","The reply code (200 for a normal close)."),
   ("shortstr","ReplyText","The reason, for people."),
   ("short","FailingClassId","Class of the method that caused the close, or 0."),
   ("short","FailingMethodId","Id of the method that caused the close, or 0.")]),
 ("close-ok", 51, False, "Confirms connection.close; the socket may then be closed.", []),
 ("blocked", 60, False, "RabbitMQ: the broker stopped reading from publishing connections (a resource alarm).", [
   ("shortstr","Reason","Why the connection is blocked.")]),
 ("unblocked", 61, False, "RabbitMQ: the broker resumed reading from the connection.", []),
 ("update-secret", 70, False, "RabbitMQ: replaces the connection's credentials (for instance an expiring OAuth token).", [
   ("longstr","NewSecret","The new secret."),
   ("shortstr","Reason","Why the secret changes.")]),
 ("update-secret-ok", 71, False, "RabbitMQ: the new secret was accepted.", []),
]),
("channel", 20, [
 ("open", 10, False, "Opens a channel.", [("-shortstr","OutOfBand","")]),
 ("open-ok", 11, False, "The channel is open.", [("-longstr","ChannelId","")]),
 ("flow", 20, False, "Asks the peer to pause or resume sending content.", [("bit","Active","True to resume, false to pause.")]),
 ("flow-ok", 21, False, "Confirms channel.flow.", [("bit","Active","The flow state now in effect.")]),
 ("close", 40, False, "Closes the channel, giving the reason and the method that caused it.", [
   ("short","ReplyCode","The reply code (200 for a normal close)."),
   ("shortstr","ReplyText","The reason, for people."),
   ("short","FailingClassId","Class of the method that caused the close, or 0."),
   ("short","FailingMethodId","Id of the method that caused the close, or 0.")]),
 ("close-ok", 41, False, "Confirms channel.close.", []),
]),
("exchange", 40, [
 ("declare", 10, False, "Creates an exchange, or checks that it exists.", [
   ("-short","Ticket",""),
   ("shortstr","Exchange","The exchange name."),
   ("shortstr","Type","The exchange type (direct, fanout, topic, headers or a plugin's)."),
   ("bit","Passive","Only check that the exchange exists."),
   ("bit","Durable","Survive a broker restart."),
   ("bit","AutoDelete","Delete when the last binding is removed."),
   ("bit","Internal","Refuse publishes from clients (exchange-to-exchange bindings only)."),
   ("bit","NoWait","Ask for no declare-ok."),
   ("table","Arguments","Extra arguments (alternate-exchange and the like).")]),
 ("declare-ok", 11, False, "Confirms exchange.declare.", []),
 ("delete", 20, False, "Deletes an exchange.", [
   ("-short","Ticket",""),
   ("shortstr","Exchange","The exchange name."),
   ("bit","IfUnused","Only delete if it has no bindings."),
   ("bit","NoWait","Ask for no delete-ok.")]),
 ("delete-ok", 21, False, "Confirms exchange.delete.", []),
 ("bind", 30, False, "RabbitMQ: binds an exchange to another exchange.", [
   ("-short","Ticket",""),
   ("shortstr","Destination","The exchange that receives the messages."),
   ("shortstr","Source","The exchange messages come from."),
   ("shortstr","RoutingKey","The binding key."),
   ("bit","NoWait","Ask for no bind-ok."),
   ("table","Arguments","Binding arguments (for headers exchanges).")]),
 ("bind-ok", 31, False, "RabbitMQ: confirms exchange.bind.", []),
 ("unbind", 40, False, "RabbitMQ: removes an exchange-to-exchange binding.", [
   ("-short","Ticket",""),
   ("shortstr","Destination","The exchange that received the messages."),
   ("shortstr","Source","The exchange messages came from."),
   ("shortstr","RoutingKey","The binding key."),
   ("bit","NoWait","Ask for no unbind-ok."),
   ("table","Arguments","Binding arguments.")]),
 ("unbind-ok", 51, False, "RabbitMQ: confirms exchange.unbind (id 51, not 41).", []),
]),
("queue", 50, [
 ("declare", 10, False, "Creates a queue, or checks that it exists.", [
   ("-short","Ticket",""),
   ("shortstr","Queue","The queue name; empty asks the server to name it."),
   ("bit","Passive","Only check that the queue exists."),
   ("bit","Durable","Survive a broker restart."),
   ("bit","Exclusive","Only this connection may use it; deleted when it closes."),
   ("bit","AutoDelete","Delete when the last consumer goes."),
   ("bit","NoWait","Ask for no declare-ok."),
   ("table","Arguments","Extra arguments (x-queue-type, x-message-ttl and the like).")]),
 ("declare-ok", 11, False, "Confirms queue.declare with the queue's name and counts.", [
   ("shortstr","Queue","The queue name (the server's choice if the declare left it empty)."),
   ("long","MessageCount","Messages ready in the queue."),
   ("long","ConsumerCount","Active consumers.")]),
 ("bind", 20, False, "Binds a queue to an exchange.", [
   ("-short","Ticket",""),
   ("shortstr","Queue","The queue name."),
   ("shortstr","Exchange","The exchange name."),
   ("shortstr","RoutingKey","The binding key."),
   ("bit","NoWait","Ask for no bind-ok."),
   ("table","Arguments","Binding arguments (for headers exchanges).")]),
 ("bind-ok", 21, False, "Confirms queue.bind.", []),
 ("purge", 30, False, "Removes all ready messages from a queue.", [
   ("-short","Ticket",""),
   ("shortstr","Queue","The queue name."),
   ("bit","NoWait","Ask for no purge-ok.")]),
 ("purge-ok", 31, False, "Confirms queue.purge.", [
   ("long","MessageCount","Messages purged.")]),
 ("delete", 40, False, "Deletes a queue.", [
   ("-short","Ticket",""),
   ("shortstr","Queue","The queue name."),
   ("bit","IfUnused","Only delete if it has no consumers."),
   ("bit","IfEmpty","Only delete if it has no messages."),
   ("bit","NoWait","Ask for no delete-ok.")]),
 ("delete-ok", 41, False, "Confirms queue.delete.", [
   ("long","MessageCount","Messages deleted with the queue.")]),
 ("unbind", 50, False, "Removes a queue binding.", [
   ("-short","Ticket",""),
   ("shortstr","Queue","The queue name."),
   ("shortstr","Exchange","The exchange name."),
   ("shortstr","RoutingKey","The binding key."),
   ("table","Arguments","Binding arguments.")]),
 ("unbind-ok", 51, False, "Confirms queue.unbind.", []),
]),
("basic", 60, [
 ("qos", 10, False, "Limits unacknowledged deliveries (prefetch).", [
   ("long","PrefetchSize","Octets of unacknowledged content allowed (RabbitMQ supports only 0: no limit)."),
   ("short","PrefetchCount","Unacknowledged messages allowed (0: no limit)."),
   ("bit","Global","RabbitMQ: apply to the whole channel rather than to each new consumer.")]),
 ("qos-ok", 11, False, "Confirms basic.qos.", []),
 ("consume", 20, False, "Starts a consumer on a queue.", [
   ("-short","Ticket",""),
   ("shortstr","Queue","The queue name."),
   ("shortstr","ConsumerTag","The consumer's tag; empty asks the server to make one."),
   ("bit","NoLocal","Not supported by RabbitMQ (ignored)."),
   ("bit","NoAck","Deliveries need no acknowledgement."),
   ("bit","Exclusive","Only this consumer may consume from the queue."),
   ("bit","NoWait","Ask for no consume-ok."),
   ("table","Arguments","Extra arguments (x-priority, x-stream-offset and the like).")]),
 ("consume-ok", 21, False, "Confirms basic.consume with the consumer's tag.", [
   ("shortstr","ConsumerTag","The consumer's tag.")]),
 ("cancel", 30, False, "Ends a consumer (sent by RabbitMQ too, when the queue goes away).", [
   ("shortstr","ConsumerTag","The consumer's tag."),
   ("bit","NoWait","Ask for no cancel-ok.")]),
 ("cancel-ok", 31, False, "Confirms basic.cancel.", [
   ("shortstr","ConsumerTag","The consumer's tag.")]),
 ("publish", 40, True, "Publishes a message; a content header and body frames follow.", [
   ("-short","Ticket",""),
   ("shortstr","Exchange","The exchange to publish to; empty is the default exchange."),
   ("shortstr","RoutingKey","The routing key."),
   ("bit","Mandatory","Return the message if no queue is bound to take it."),
   ("bit","Immediate","Not supported by RabbitMQ 3.x (it closes the connection).")]),
 ("return", 50, True, "Returns an unroutable mandatory message; its content follows.", [
   ("short","ReplyCode","Why it was returned (312 no-route)."),
   ("shortstr","ReplyText","The reason, for people."),
   ("shortstr","Exchange","The exchange it was published to."),
   ("shortstr","RoutingKey","The routing key it was published with.")]),
 ("deliver", 60, True, "Delivers a message to a consumer; its content follows.", [
   ("shortstr","ConsumerTag","The consumer's tag."),
   ("longlong","DeliveryTag","The delivery's number on this channel, for ack, nack and reject."),
   ("bit","Redelivered","The message was delivered before and not acknowledged."),
   ("shortstr","Exchange","The exchange it was published to."),
   ("shortstr","RoutingKey","The routing key it was published with.")]),
 ("get", 70, False, "Fetches one message from a queue.", [
   ("-short","Ticket",""),
   ("shortstr","Queue","The queue name."),
   ("bit","NoAck","The message needs no acknowledgement.")]),
 ("get-ok", 71, True, "Answers basic.get with a message; its content follows.", [
   ("longlong","DeliveryTag","The delivery's number on this channel."),
   ("bit","Redelivered","The message was delivered before and not acknowledged."),
   ("shortstr","Exchange","The exchange it was published to."),
   ("shortstr","RoutingKey","The routing key it was published with."),
   ("long","MessageCount","Messages still ready in the queue.")]),
 ("get-empty", 72, False, "Answers basic.get when the queue is empty.", [
   ("-shortstr","ClusterId","")]),
 ("ack", 80, False, "Acknowledges deliveries (from the broker: confirms publishes).", [
   ("longlong","DeliveryTag","The delivery (or publish sequence number) acknowledged."),
   ("bit","Multiple","Also everything before it.")]),
 ("reject", 90, False, "Rejects one delivery.", [
   ("longlong","DeliveryTag","The delivery rejected."),
   ("bit","Requeue","Put it back in the queue rather than drop or dead-letter it.")]),
 ("recover-async", 100, False, "Deprecated: redelivers unacknowledged messages, without an answer.", [
   ("bit","Requeue","Requeue rather than redeliver to the same consumer.")]),
 ("recover", 110, False, "Redelivers this channel's unacknowledged messages.", [
   ("bit","Requeue","Requeue rather than redeliver to the same consumer.")]),
 ("recover-ok", 111, False, "Confirms basic.recover.", []),
 ("nack", 120, False, "RabbitMQ: rejects deliveries, possibly several (from the broker: refuses publishes).", [
   ("longlong","DeliveryTag","The delivery (or publish sequence number) refused."),
   ("bit","Multiple","Also everything before it."),
   ("bit","Requeue","Put them back in the queue.")]),
]),
("confirm", 85, [
 ("select", 10, False, "RabbitMQ: puts the channel in publisher-confirm mode.", [
   ("bit","NoWait","Ask for no select-ok.")]),
 ("select-ok", 11, False, "RabbitMQ: confirms confirm.select.", []),
]),
("tx", 90, [
 ("select", 10, False, "Puts the channel in transaction mode.", []),
 ("select-ok", 11, False, "Confirms tx.select.", []),
 ("commit", 20, False, "Commits the current transaction.", []),
 ("commit-ok", 21, False, "Confirms tx.commit.", []),
 ("rollback", 30, False, "Abandons the current transaction.", []),
 ("rollback-ok", 31, False, "Confirms tx.rollback.", []),
]),
]
import sys, os


ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..')
OUT = os.path.join(ROOT, 'Protocols/Amqp/Wire/Methods')
TESTS = os.path.join(ROOT, 'Reactor.Tests/Amqp/AmqpMethodSamples.cs')

def pascal(s): return ''.join(p[:1].upper() + p[1:] for p in s.split('-'))

CS = {'octet':'byte','short':'ushort','long':'uint','longlong':'ulong','shortstr':'string','longstr':'byte[]','text':'string','bit':'bool','table':'FieldTable?'}
DEFAULT = {'shortstr':' = "";','text':' = "";','longstr':' = [];'}
SIZE = {'octet':'1','short':'2','long':'4','longlong':'8'}
WRITE = {'octet':'WriteOctet','short':'WriteShort','long':'WriteLong','longlong':'WriteLongLong','shortstr':'WriteShortString','longstr':'WriteLongString','text':'WriteLongString','table':'WriteTable'}
READ = {'octet':'ReadOctet()','short':'ReadShort()','long':'ReadLong()','longlong':'ReadLongLong()','shortstr':'ReadShortString()','longstr':'ReadLongStringBytes()','text':'ReadLongStringText()','table':'ReadTable()'}
SKIP = {'short':'reader.ReadShort();','shortstr':'reader.ReadShortString();','longstr':'reader.ReadSlice(reader.ReadLong());'}
RESERVED_WRITE = {'short':'writer.WriteShort(0);','shortstr':'writer.WriteShortString(null);','longstr':'writer.WriteLong(0);'}

def groups(fields):
    """Yields ('bits', [fields]) for runs of bits and ('one', field) otherwise."""
    out = []
    for f in fields:
        t = f[0].lstrip('-')
        if t == 'bit' and out and out[-1][0] == 'bits':
            out[-1][1].append(f)
        elif t == 'bit':
            out.append(('bits', [f]))
        else:
            out.append(('one', f))
    return out

def size_expr(fields):
    parts = []
    for kind, g in groups(fields):
        if kind == 'bits': parts.append('1'); continue
        t = g[0]; r = t.startswith('-'); t = t.lstrip('-')
        if t in SIZE: parts.append(SIZE[t])
        elif r: parts.append({'shortstr':'1','longstr':'4'}[t])
        elif t == 'shortstr': parts.append(f'AmqpSize.ShortString({g[1]})')
        elif t in ('longstr','text'): parts.append(f'AmqpSize.LongString({g[1]})')
        elif t == 'table': parts.append(f'AmqpSize.Table({g[1]})')
    return ' + '.join(parts) if parts else '0'

def write_body(fields):
    lines = []
    for kind, g in groups(fields):
        if kind == 'bits':
            terms = [f'({f[1]} ? {1 << i} : 0)' for i, f in enumerate(g) if not f[0].startswith('-')]
            expr = ' | '.join(terms) if terms else '0'
            lines.append(f'writer.WriteOctet((byte)({expr}));')
            continue
        t = g[0]
        if t.startswith('-'): lines.append(RESERVED_WRITE[t[1:]]); continue
        lines.append(f'writer.{WRITE[t]}({g[1]});')
    return lines

def camel(n): 
    c = n[0].lower() + n[1:]
    return '@' + c if c in ('global','internal','type','queue_') else c

def read_body(fields, typename):
    lines, inits = [], []
    for kind, g in groups(fields):
        if kind == 'bits':
            real = [(i, f) for i, f in enumerate(g) if not f[0].startswith('-')]
            if real:
                var = 'bits' if not any(l.startswith('var bits') for l in lines) else f'bits{len(lines)}'
                lines.append(f'var {var} = reader.ReadOctet();')
                for i, f in real: inits.append(f'{f[1]} = ({var} & {1 << i}) != 0')
            else:
                lines.append('reader.ReadOctet();')
            continue
        t = g[0]
        if t.startswith('-'): lines.append(SKIP[t[1:]]); continue
        v = camel(g[1])
        lines.append(f'var {v} = reader.{READ[t]};')
        inits.append(f'{g[1]} = {v}')
    if inits:
        lines.append(f'return new {typename}')
        lines.append('{')
        lines += [f'    {i},' for i in inits]
        lines.append('};')
    else:
        lines.append('return new();')
    return lines

dispatch = []
names = []
samples = []
os.makedirs(OUT, exist_ok=True)
for cls, cid, methods in SPEC:
    for name, mid, content, summary, fields in methods:
        tn = pascal(cls) + pascal(name)
        real = [f for f in fields if not f[0].startswith('-')]
        L = ['// Generated by Protocols/Amqp/Tools/amqp_methods.py from its method table; edit the table, not this file.']
        L.append('using System.Buffers;')
        L.append('')
        L.append('namespace ReactiveKv.Amqp;')
        L.append('')
        L.append(f'/// <summary>{cls}.{name} ({cid}/{mid}): {summary}</summary>')
        L.append(f'public sealed record {tn} : IAmqpMethod')
        L.append('{')
        for t, n, doc in real:
            L.append(f'    /// <summary>{doc}</summary>')
            L.append(f'    public {CS[t]} {n} {{ get; init; }}{DEFAULT.get(t, "")}')
            L.append('')
        L.append('    /// <inheritdoc />')
        L.append(f'    public ushort ClassId => {cid};')
        L.append('')
        L.append('    /// <inheritdoc />')
        L.append(f'    public ushort MethodId => {mid};')
        L.append('')
        L.append('    /// <inheritdoc />')
        L.append(f'    public string Name => "{cls}.{name}";')
        L.append('')
        L.append('    /// <inheritdoc />')
        L.append(f'    public bool HasContent => {"true" if content else "false"};')
        L.append('')
        L.append('    /// <inheritdoc />')
        L.append(f'    public int ArgumentsSize => {size_expr(fields)};')
        L.append('')
        L.append('    /// <inheritdoc />')
        if fields:
            L.append('    public void WriteArguments(IBufferWriter<byte> output)')
            L.append('    {')
            L.append('        var writer = new AmqpWriter(output);')
            L += ['        ' + l for l in write_body(fields)]
            L.append('    }')
        else:
            L.append('    public void WriteArguments(IBufferWriter<byte> output)')
            L.append('    {')
            L.append('    }')
        L.append('')
        if fields:
            L.append(f'    internal static {tn} Read(ref AmqpReader reader)')
            L.append('    {')
            L += ['        ' + l for l in read_body(fields, tn)]
            L.append('    }')
        else:
            L.append(f'    internal static {tn} Read() => new();')
        L.append('}')
        open(os.path.join(OUT, tn + '.cs'), 'w').write('\n'.join(L) + '\n')
        dispatch.append(f'            ({cid} << 16) | {mid} => {tn}.Read({"ref reader" if fields else ""}),')
        names.append(f'        ({cid} << 16) | {mid} => "{cls}.{name}",')
        # two samples: all bits set, and alternating bits; distinct value per field
        for variant in (0, 1):
            inits = []
            bitno = 0
            for k, (t, n, _) in enumerate(real):
                s = 17 * len(samples) + k + 1
                if t == 'octet': v = f'(byte){s % 256}'
                elif t == 'short': v = f'(ushort){1000 + s}'
                elif t == 'long': v = f'{70000 + s}u'
                elif t == 'longlong': v = f'{(1 << 40) + s}ul'
                elif t == 'shortstr': v = f'"{n.lower()}-{s}"'
                elif t == 'text': v = f'"{n.lower()} {s} é"'
                elif t == 'longstr': v = f'new byte[] {{ 0, 1, 0xCE, {s % 256} }}'
                elif t == 'table': v = f'new FieldTable {{ ["k{s}"] = {s}, ["s"] = "v" }}'
                elif t == 'bit':
                    v = 'true' if variant == 0 else ('true' if bitno % 2 == 0 else 'false'); bitno += 1
                inits.append(f'{n} = {v}')
            if variant == 1 and bitno == 0: continue
            samples.append(f'        new {tn} {{ {", ".join(inits)} }},' if inits else f'        new {tn}(),')

D = ['// Generated by Protocols/Amqp/Tools/amqp_methods.py: one case per method record in Methods/.',
'using System.Buffers;', '', 'namespace ReactiveKv.Amqp;', '',
'/// <summary>Decodes a method frame\'s payload into its record, by class id and method id; a plain switch, no reflection.</summary>',
'public static class AmqpMethodDecoder', '{',
'    /// <summary>',
'    /// Decodes the method in <paramref name="payload"/>, copying what it keeps, so the payload may be released after.',
'    /// Bytes after the last argument are ignored rather than refused, as a later broker might append an argument.',
'    /// </summary>',
'    /// <exception cref="AmqpUnknownMethodException">The ids name no method of RabbitMQ\'s AMQP 0-9-1.</exception>',
'    /// <exception cref="AmqpFrameException">The arguments are truncated or malformed.</exception>',
'    public static IAmqpMethod Decode(ReadOnlySequence<byte> payload)',
'    {',
'        var reader = new AmqpReader(payload);',
'        var classId = reader.ReadShort();',
'        var methodId = reader.ReadShort();',
'        return ((uint)classId << 16 | methodId) switch',
'        {'] + dispatch + [
'            _ => throw new AmqpUnknownMethodException(classId, methodId),',
'        };', '    }', '',
'    /// <summary>The spec\'s name of a method ("queue.declare"), for messages; "method c/m" for ids it does not know.</summary>',
'    public static string Name(ushort classId, ushort methodId) => ((uint)classId << 16 | methodId) switch',
'    {'] + names + [
'        _ => $"method {classId}/{methodId}",',
'    };', '}']
open(os.path.join(ROOT, 'Protocols/Amqp/Wire/AmqpMethodDecoder.cs'), 'w').write('\n'.join(D) + '\n')

T = ['// Generated by Protocols/Amqp/Tools/amqp_methods.py with the method records: every method, once with every bit set and once with alternate bits,',
'// each field holding a value no other field of the sample holds, so a field read into the wrong place shows.',
'using ReactiveKv.Amqp;', '', 'namespace ReactiveKv.Tests.Amqp;', '',
'/// <summary>A sample of every AMQP method, for the round-trip tests.</summary>',
'internal static class AmqpMethodSamples', '{',
'    /// <summary>Every method record, with distinct values in every field.</summary>',
'    public static readonly IReadOnlyList<IAmqpMethod> All =', '    ['] + samples + ['    ];', '}']
open(TESTS, 'w').write('\n'.join(T) + '\n')
print(len(dispatch), 'methods', len(samples), 'samples')
