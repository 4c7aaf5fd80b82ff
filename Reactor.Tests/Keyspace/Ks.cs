using ReactiveKv.Keyspace;
using static ReactiveKv.Tests.Keyspace.KeyspaceTestCluster;

namespace ReactiveKv.Tests.Keyspace;

/// <summary>Request builders for tests (ids are assigned when sent, unless given).</summary>
internal static class Ks
{
    public static KeyspaceRequest Set(string key, string value) => new() { Command = KeyspaceCommand.Set, Key = B(key), Value = B(value) };

    public static KeyspaceRequest Get(string key, bool dirty = false) => new() { Command = dirty ? KeyspaceCommand.DirtyGet : KeyspaceCommand.Get, Key = B(key) };

    public static KeyspaceRequest TestAndSet(string key, string test, string value) => new() { Command = KeyspaceCommand.TestAndSet, Key = B(key), Test = B(test), Value = B(value) };

    public static KeyspaceRequest Add(string key, long delta) => new() { Command = KeyspaceCommand.Add, Key = B(key), Delta = delta };

    public static KeyspaceRequest Rename(string from, string to) => new() { Command = KeyspaceCommand.Rename, Key = B(from), Value = B(to) };

    public static KeyspaceRequest Delete(string key) => new() { Command = KeyspaceCommand.Delete, Key = B(key) };

    public static KeyspaceRequest Remove(string key) => new() { Command = KeyspaceCommand.Remove, Key = B(key) };

    public static KeyspaceRequest Prune(string prefix) => new() { Command = KeyspaceCommand.Prune, Key = B(prefix) };

    public static KeyspaceRequest SetExpiry(string key, ulong seconds) => new() { Command = KeyspaceCommand.SetExpiry, Key = B(key), Seconds = seconds };

    public static KeyspaceRequest RemoveExpiry(string key) => new() { Command = KeyspaceCommand.RemoveExpiry, Key = B(key) };

    public static KeyspaceRequest ClearExpiries() => new() { Command = KeyspaceCommand.ClearExpiries };

    public static KeyspaceRequest GetMaster() => new() { Command = KeyspaceCommand.GetMaster };

    public static KeyspaceRequest Range(KeyspaceCommand command, string prefix = "", string start = "", ulong count = 0, ulong offset = 0, bool backward = false) =>
        new() { Command = command, Key = B(prefix), StartKey = B(start), Count = count, Offset = offset, Backward = backward };

    public static KeyspaceRequest Keys(string prefix = "", string start = "", ulong count = 0, ulong offset = 0, bool backward = false) =>
        Range(KeyspaceCommand.ListKeys, prefix, start, count, offset, backward);

    public static KeyspaceRequest Count(string prefix = "", string start = "", ulong count = 0, ulong offset = 0, bool backward = false) =>
        Range(KeyspaceCommand.Count, prefix, start, count, offset, backward);
}
