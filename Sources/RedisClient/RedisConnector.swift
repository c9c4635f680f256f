import Logging

/// Connects to what a Redis setting (`OMS_REDIS_URL`) names: one URL is one
/// server, or a Redis Cluster when that server is a cluster node; several,
/// comma-separated, are nodes of one cluster (any of them is enough to find
/// the others).
public enum RedisConnector {
    public static func connect(_ setting: String, connectTimeout: Duration = .seconds(2),
                               commandTimeout: Duration = .seconds(5),
                               logger: Logger = Logger(label: "oms.redis")) async throws(RedisError) -> any Redis {
        let urls = try urls(setting)
        if urls.count > 1 {
            return try await RedisCluster.connect(seeds: urls, connectTimeout: connectTimeout,
                                                  commandTimeout: commandTimeout, logger: logger)
        }
        let connection = try await RedisConnection.connect(url: urls[0], connectTimeout: connectTimeout,
                                                           commandTimeout: commandTimeout, logger: logger)
        guard try await isClusterNode(connection) else { return connection }
        await connection.close()
        return try await RedisCluster.connect(seeds: urls, connectTimeout: connectTimeout,
                                              commandTimeout: commandTimeout, logger: logger)
    }

    /// The comma-separated URLs of a setting, each checked.
    public static func urls(_ setting: String) throws(RedisError) -> [RedisURL] {
        var urls: [RedisURL] = []
        for part in setting.split(separator: ",", omittingEmptySubsequences: false) {
            urls.append(try RedisURL(String(part)))
        }
        return urls
    }

    private static func isClusterNode(_ connection: RedisConnection) async throws(RedisError) -> Bool {
        let info = try await connection.send(RedisCommand("INFO", "cluster")).string ?? ""
        return info.split(whereSeparator: \.isNewline).contains("cluster_enabled:1")
    }
}
