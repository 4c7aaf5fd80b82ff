using System.Buffers;

namespace ReactiveKv.KyotoTycoon;

/// <summary>One memcached text command: its line split on spaces and, for a storage command, its data block.</summary>
/// <param name="Tokens">The command line's words (the verb first); empty for a blank line.</param>
/// <param name="Data">
/// A storage command's data block without its line end, as a view into the receive buffer (valid only while the
/// command is handled); empty for every other command.
/// </param>
internal readonly record struct MemcachedCommand(string[] Tokens, ReadOnlySequence<byte> Data)
{
    /// <summary>The verb, or "" for a blank line.</summary>
    public string Verb => Tokens.Length > 0 ? Tokens[0] : "";
}
