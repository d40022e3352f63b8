using Dapper;
using Microsoft.Data.Sqlite;
using Nimbus.Core.Metrics;

namespace Nimbus.Server.Storage;

/// <summary>Metric buckets: merged deltas in, exact-key range reads out, pruned by age per period.</summary>
public sealed partial class SqliteObservabilityStore
{
    /// <summary>Merges each delta into its stored bucket (counts and sums add, min/max widen, histograms merge), in one transaction.</summary>
    public Task MergeBucketsAsync(IReadOnlyList<MetricBucket> deltas, CancellationToken cancellationToken)
    {
        if (deltas.Count == 0)
        {
            return Task.CompletedTask;
        }

        cancellationToken.ThrowIfCancellationRequested();
        Write((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText =
                """
                INSERT INTO metric_buckets (function, metric, version, alias, dimension, period, start, sample_count, sum, minimum, maximum, histogram)
                VALUES ($function, $metric, $version, $alias, $dimension, $period, $start, $count, $sum, $min, $max, $histogram)
                ON CONFLICT DO UPDATE SET
                    sample_count = sample_count + excluded.sample_count,
                    sum = sum + excluded.sum,
                    minimum = min(minimum, excluded.minimum),
                    maximum = max(maximum, excluded.maximum),
                    histogram = merge_histogram(histogram, excluded.histogram)
                """;
            var function = command.Parameters.Add("$function", SqliteType.Text);
            var metric = command.Parameters.Add("$metric", SqliteType.Text);
            var version = command.Parameters.Add("$version", SqliteType.Text);
            var alias = command.Parameters.Add("$alias", SqliteType.Text);
            var dimension = command.Parameters.Add("$dimension", SqliteType.Text);
            var period = command.Parameters.Add("$period", SqliteType.Integer);
            var start = command.Parameters.Add("$start", SqliteType.Integer);
            var count = command.Parameters.Add("$count", SqliteType.Integer);
            var sum = command.Parameters.Add("$sum", SqliteType.Real);
            var min = command.Parameters.Add("$min", SqliteType.Real);
            var max = command.Parameters.Add("$max", SqliteType.Real);
            var histogram = command.Parameters.Add("$histogram", SqliteType.Blob);
            command.Prepare();
            foreach (var delta in deltas)
            {
                if (delta.Statistics.SampleCount == 0)
                {
                    continue;
                }

                function.Value = delta.Key.Function;
                metric.Value = delta.Key.Metric;
                version.Value = delta.Key.Version;
                alias.Value = delta.Key.Alias;
                dimension.Value = delta.Key.Dimension;
                period.Value = delta.PeriodSeconds;
                start.Value = delta.Start;
                count.Value = delta.Statistics.SampleCount;
                sum.Value = delta.Statistics.Sum;
                min.Value = delta.Statistics.Minimum;
                max.Value = delta.Statistics.Maximum;
                histogram.Value = (object?)delta.Statistics.Histogram?.ToBytes() ?? DBNull.Value;
                command.ExecuteNonQuery();
            }

            return deltas.Count;
        });
        return Task.CompletedTask;
    }

    /// <summary>
    /// The stored buckets of one series and period whose start lies in [<paramref name="since"/> rounded down to the
    /// period, <paramref name="until"/>): a primary-key prefix plus a range, so it reads only the rows it returns.
    /// </summary>
    public Task<IReadOnlyList<MetricBucket>> ReadBucketsAsync(MetricSeriesKey key, int periodSeconds, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var from = MetricPeriods.BucketStart(since, periodSeconds);
        var to = until.ToUnixTimeMilliseconds();
        IReadOnlyList<MetricBucket> result = Read(connection =>
        {
            using var reader = connection.ExecuteReader(
                """
                SELECT start, sample_count, sum, minimum, maximum, histogram FROM metric_buckets
                WHERE function = @Function AND metric = @Metric AND version = @Version AND alias = @Alias AND dimension = @Dimension
                  AND period = @period AND start >= @from AND start < @to
                ORDER BY start
                """,
                new { key.Function, key.Metric, key.Version, key.Alias, key.Dimension, period = periodSeconds, from, to });
            var buckets = new List<MetricBucket>();
            while (reader.Read())
            {
                var histogram = reader.IsDBNull(5) ? null : LogHistogram.FromBytes((byte[])reader.GetValue(5));
                buckets.Add(new MetricBucket(key, periodSeconds, reader.GetInt64(0),
                    new MetricStatistics(reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4), histogram)));
            }

            return buckets;
        });
        return Task.FromResult(result);
    }

    /// <summary>The versions of a function that have buckets of <paramref name="metric"/> in the window (for per-version summaries).</summary>
    public Task<IReadOnlyList<string>> ListVersionsAsync(string function, string metric, int periodSeconds, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var from = MetricPeriods.BucketStart(since, periodSeconds);
        var to = until.ToUnixTimeMilliseconds();
        IReadOnlyList<string> versions = Read(connection => connection.Query<string>(
            """
            SELECT DISTINCT version FROM metric_buckets
            WHERE function = @function AND metric = @metric AND alias = '*' AND version <> '*' AND dimension = '' AND period = @period
              AND start >= @from AND start < @to
            """,
            new { function, metric, period = periodSeconds, from, to }).ToList());
        return Task.FromResult(versions);
    }

    /// <summary>Deletes buckets older than each period's retention (<see cref="MetricPeriods.Retention"/>); returns how many.</summary>
    public Task<int> PruneBucketsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var deleted = Write((connection, transaction) => MetricPeriods.Stored.Sum(period =>
            connection.Execute("DELETE FROM metric_buckets WHERE period = @period AND start < @cutoff",
                new { period, cutoff = (now - MetricPeriods.Retention(period)).ToUnixTimeMilliseconds() }, transaction)));
        return Task.FromResult(deleted);
    }
}
