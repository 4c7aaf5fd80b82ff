namespace ReactiveKv.Tests.Redis;

/// <summary>
/// Replies captured from a redis-server 7.0.15 cluster of 3 primaries (ports 21001-21003) with one replica each
/// (21004-21006), after slot 100 was moved from 21001 to 21003 (so 21001 owns 0-99 and 101-5460) and replica 21006
/// was killed (health "fail"). Sent to 21001 over RESP2, then after HELLO 3.
/// </summary>
internal static class ClusterReplies
{
    public const string ShardsResp2 =
        "*3\r\n*4\r\n$5\r\nslots\r\n*4\r\n:100\r\n:100\r\n:10923\r\n:16383\r\n$5\r\nnodes\r\n*2\r\n*14\r\n"
        + "$2\r\nid\r\n$40\r\n169b8564660deeb51a2f3d06b9a77c1a032780ef\r\n$4\r\nport\r\n:21003\r\n$2\r\nip\r\n"
        + "$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$18\r\n"
        + "replication-offset\r\n:14\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*14\r\n$2\r\nid\r\n$40\r\n"
        + "fc3e6ab393961922a1bdec181dcdf0817e0ca2c6\r\n$4\r\nport\r\n:21006\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n"
        + "$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$18\r\nreplication-offset\r\n"
        + ":14\r\n$6\r\nhealth\r\n$4\r\nfail\r\n*4\r\n$5\r\nslots\r\n*2\r\n:5461\r\n:10922\r\n$5\r\nnodes\r\n"
        + "*2\r\n*14\r\n$2\r\nid\r\n$40\r\n665bce177e63783ad5c3a1bfccf2fea3359c3e92\r\n$4\r\nport\r\n:21002\r\n"
        + "$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
        + "$18\r\nreplication-offset\r\n:28\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*14\r\n$2\r\nid\r\n$40\r\n"
        + "2234cc5ecf4c5fc30c436109db38a8b59344bcaa\r\n$4\r\nport\r\n:21005\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n"
        + "$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$18\r\nreplication-offset\r\n"
        + ":28\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*4\r\n$5\r\nslots\r\n*4\r\n:0\r\n:99\r\n:101\r\n:5460\r\n"
        + "$5\r\nnodes\r\n*2\r\n*14\r\n$2\r\nid\r\n$40\r\n25ec79692bcd60cea2daaa3d52044b2e60dcfaa8\r\n$4\r\n"
        + "port\r\n:21001\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n"
        + "$6\r\nmaster\r\n$18\r\nreplication-offset\r\n:28\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*14\r\n$2\r\n"
        + "id\r\n$40\r\nb35b2cd736382938ee0a07172eae1ef85a4b4988\r\n$4\r\nport\r\n:21004\r\n$2\r\nip\r\n$9\r\n"
        + "127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$18\r\n"
        + "replication-offset\r\n:28\r\n$6\r\nhealth\r\n$6\r\nonline\r\n";

    public const string ShardsResp3 =
        "*3\r\n%2\r\n$5\r\nslots\r\n*4\r\n:100\r\n:100\r\n:10923\r\n:16383\r\n$5\r\nnodes\r\n*2\r\n%7\r\n"
        + "$2\r\nid\r\n$40\r\n169b8564660deeb51a2f3d06b9a77c1a032780ef\r\n$4\r\nport\r\n:21003\r\n$2\r\nip\r\n"
        + "$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$18\r\n"
        + "replication-offset\r\n:14\r\n$6\r\nhealth\r\n$6\r\nonline\r\n%7\r\n$2\r\nid\r\n$40\r\n"
        + "fc3e6ab393961922a1bdec181dcdf0817e0ca2c6\r\n$4\r\nport\r\n:21006\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n"
        + "$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$18\r\nreplication-offset\r\n"
        + ":14\r\n$6\r\nhealth\r\n$4\r\nfail\r\n%2\r\n$5\r\nslots\r\n*2\r\n:5461\r\n:10922\r\n$5\r\nnodes\r\n"
        + "*2\r\n%7\r\n$2\r\nid\r\n$40\r\n665bce177e63783ad5c3a1bfccf2fea3359c3e92\r\n$4\r\nport\r\n:21002\r\n"
        + "$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
        + "$18\r\nreplication-offset\r\n:28\r\n$6\r\nhealth\r\n$6\r\nonline\r\n%7\r\n$2\r\nid\r\n$40\r\n"
        + "2234cc5ecf4c5fc30c436109db38a8b59344bcaa\r\n$4\r\nport\r\n:21005\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n"
        + "$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$18\r\nreplication-offset\r\n"
        + ":28\r\n$6\r\nhealth\r\n$6\r\nonline\r\n%2\r\n$5\r\nslots\r\n*4\r\n:0\r\n:99\r\n:101\r\n:5460\r\n"
        + "$5\r\nnodes\r\n*2\r\n%7\r\n$2\r\nid\r\n$40\r\n25ec79692bcd60cea2daaa3d52044b2e60dcfaa8\r\n$4\r\n"
        + "port\r\n:21001\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n"
        + "$6\r\nmaster\r\n$18\r\nreplication-offset\r\n:28\r\n$6\r\nhealth\r\n$6\r\nonline\r\n%7\r\n$2\r\n"
        + "id\r\n$40\r\nb35b2cd736382938ee0a07172eae1ef85a4b4988\r\n$4\r\nport\r\n:21004\r\n$2\r\nip\r\n$9\r\n"
        + "127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$18\r\n"
        + "replication-offset\r\n:28\r\n$6\r\nhealth\r\n$6\r\nonline\r\n";

    public const string SlotsResp2 =
        "*5\r\n*4\r\n:0\r\n:99\r\n*4\r\n$9\r\n127.0.0.1\r\n:21001\r\n$40\r\n"
        + "25ec79692bcd60cea2daaa3d52044b2e60dcfaa8\r\n*0\r\n*4\r\n$9\r\n127.0.0.1\r\n:21004\r\n$40\r\n"
        + "b35b2cd736382938ee0a07172eae1ef85a4b4988\r\n*0\r\n*3\r\n:100\r\n:100\r\n*4\r\n$9\r\n127.0.0.1\r\n"
        + ":21003\r\n$40\r\n169b8564660deeb51a2f3d06b9a77c1a032780ef\r\n*0\r\n*4\r\n:101\r\n:5460\r\n*4\r\n"
        + "$9\r\n127.0.0.1\r\n:21001\r\n$40\r\n25ec79692bcd60cea2daaa3d52044b2e60dcfaa8\r\n*0\r\n*4\r\n$9\r\n"
        + "127.0.0.1\r\n:21004\r\n$40\r\nb35b2cd736382938ee0a07172eae1ef85a4b4988\r\n*0\r\n*4\r\n:5461\r\n"
        + ":10922\r\n*4\r\n$9\r\n127.0.0.1\r\n:21002\r\n$40\r\n665bce177e63783ad5c3a1bfccf2fea3359c3e92\r\n"
        + "*0\r\n*4\r\n$9\r\n127.0.0.1\r\n:21005\r\n$40\r\n2234cc5ecf4c5fc30c436109db38a8b59344bcaa\r\n*0\r\n"
        + "*3\r\n:10923\r\n:16383\r\n*4\r\n$9\r\n127.0.0.1\r\n:21003\r\n$40\r\n"
        + "169b8564660deeb51a2f3d06b9a77c1a032780ef\r\n*0\r\n";

    public const string SlotsResp3 =
        "*5\r\n*4\r\n:0\r\n:99\r\n*4\r\n$9\r\n127.0.0.1\r\n:21001\r\n$40\r\n"
        + "25ec79692bcd60cea2daaa3d52044b2e60dcfaa8\r\n%0\r\n*4\r\n$9\r\n127.0.0.1\r\n:21004\r\n$40\r\n"
        + "b35b2cd736382938ee0a07172eae1ef85a4b4988\r\n%0\r\n*3\r\n:100\r\n:100\r\n*4\r\n$9\r\n127.0.0.1\r\n"
        + ":21003\r\n$40\r\n169b8564660deeb51a2f3d06b9a77c1a032780ef\r\n%0\r\n*4\r\n:101\r\n:5460\r\n*4\r\n"
        + "$9\r\n127.0.0.1\r\n:21001\r\n$40\r\n25ec79692bcd60cea2daaa3d52044b2e60dcfaa8\r\n%0\r\n*4\r\n$9\r\n"
        + "127.0.0.1\r\n:21004\r\n$40\r\nb35b2cd736382938ee0a07172eae1ef85a4b4988\r\n%0\r\n*4\r\n:5461\r\n"
        + ":10922\r\n*4\r\n$9\r\n127.0.0.1\r\n:21002\r\n$40\r\n665bce177e63783ad5c3a1bfccf2fea3359c3e92\r\n"
        + "%0\r\n*4\r\n$9\r\n127.0.0.1\r\n:21005\r\n$40\r\n2234cc5ecf4c5fc30c436109db38a8b59344bcaa\r\n%0\r\n"
        + "*3\r\n:10923\r\n:16383\r\n*4\r\n$9\r\n127.0.0.1\r\n:21003\r\n$40\r\n"
        + "169b8564660deeb51a2f3d06b9a77c1a032780ef\r\n%0\r\n";
}
