using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RecFramework.Diagnostics;

namespace RecFramework.AspNetCore.Telemetry;

/// <summary>
/// In-process aggregation behind <c>GET /metrics</c>: listens to the framework, host and ASP.NET Core meters created
/// by this service's <see cref="IMeterFactory"/> (so several hosts in one process stay apart) and keeps, per
/// instrument and tag set, the sum of a counter or the count, sum, min, max and p50/p90/p99 of a histogram.
/// It needs no collector; the same instruments go to OTLP when <see cref="TelemetryOptions.OtlpEndpoint"/> is set.
/// </summary>
internal sealed class MetricsSnapshot : IDisposable
{
    /// <summary>Meters the snapshot and the OpenTelemetry export cover.</summary>
    public static readonly string[] Meters = [RecallMetrics.MeterName, ServiceMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(Instrument Instrument, string Tags), Series> _series = new();
    private readonly ConcurrentDictionary<Instrument, TagSets> _tagSets = new();

    public MetricsSnapshot(IMeterFactory meterFactory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (Meters.Contains(instrument.Meter.Name, StringComparer.Ordinal) && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>Every series recorded so far, ordered by instrument name and tags.</summary>
    public IReadOnlyList<MetricSeries> Read()
    {
        _listener.RecordObservableInstruments();
        return _series
            .Select(kv => kv.Value.ToSeries(kv.Key.Instrument, kv.Key.Tags))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ThenBy(s => s.Tags, StringComparer.Ordinal)
            .ToArray();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var sets = _tagSets.GetOrAdd(instrument, static _ => new TagSets());
        var known = sets.Entries;
        for (var i = 0; i < known.Length; i++)
        {
            if (SameTags(known[i].Tags, tags))
            {
                known[i].Series.Add(value);
                return;
            }
        }

        var key = (instrument, TagKey(tags));
        var series = _series.GetOrAdd(key, static k => new Series(k.Instrument is Histogram<double> or Histogram<long> or Histogram<int>));
        sets.Remember(tags, series);
        series.Add(value);
    }

    private static bool SameTags(KeyValuePair<string, object?>[] known, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (known.Length != tags.Length)
        {
            return false;
        }

        for (var i = 0; i < tags.Length; i++)
        {
            if (!string.Equals(known[i].Key, tags[i].Key, StringComparison.Ordinal) || !Equals(known[i].Value, tags[i].Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The tag sets an instrument was recorded with, in the order they came, each with its series: most measurements
    /// find theirs by comparing a few tags instead of formatting, sorting and joining them into a key (strings for
    /// every tag of every measurement: several per request). Bounded: past <see cref="MaxRemembered"/> sets an
    /// instrument's further ones take the key path every time.
    /// </summary>
    private sealed class TagSets
    {
        private const int MaxRemembered = 64;
        private readonly object _gate = new();

        public (KeyValuePair<string, object?>[] Tags, Series Series)[] Entries { get; private set; } = [];

        public void Remember(ReadOnlySpan<KeyValuePair<string, object?>> tags, Series series)
        {
            lock (_gate)
            {
                var entries = Entries;
                if (entries.Length >= MaxRemembered)
                {
                    return;
                }

                foreach (var entry in entries)
                {
                    if (SameTags(entry.Tags, tags))
                    {
                        return;
                    }
                }

                // Copy on write: readers scan whichever array they loaded, without a lock.
                var grown = new (KeyValuePair<string, object?>[] Tags, Series Series)[entries.Length + 1];
                entries.CopyTo(grown, 0);
                grown[^1] = (tags.ToArray(), series);
                Entries = grown;
            }
        }
    }

    private static string TagKey(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }

        var parts = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            parts[i] = $"{tags[i].Key}={tags[i].Value}";
        }

        Array.Sort(parts, StringComparer.Ordinal);
        return string.Join(',', parts);
    }

    /// <summary>One aggregated series: a running sum, or a log-bucketed histogram (about 4 % relative error).</summary>
    private sealed class Series(bool histogram)
    {
        private const int SubBuckets = 16;
        private const int MinExponent = -20;
        private const int Buckets = (40 - MinExponent) * SubBuckets;
        private readonly object _gate = new();
        private readonly long[]? _buckets = histogram ? new long[Buckets] : null;
        private long _count;
        private double _sum;
        private double _min = double.PositiveInfinity;
        private double _max = double.NegativeInfinity;

        public void Add(double value)
        {
            lock (_gate)
            {
                _count++;
                _sum += value;
                _min = Math.Min(_min, value);
                _max = Math.Max(_max, value);
                if (_buckets is not null)
                {
                    _buckets[Bucket(value)]++;
                }
            }
        }

        public MetricSeries ToSeries(Instrument instrument, string tags)
        {
            lock (_gate)
            {
                var kind = _buckets is null ? "counter" : "histogram";
                if (_buckets is null)
                {
                    return new MetricSeries(instrument.Name, instrument.Unit, kind, tags, _count, _sum, null, null, null, null, null);
                }

                return new MetricSeries(instrument.Name, instrument.Unit, kind, tags, _count, _sum, _min, _max, Quantile(0.50), Quantile(0.90), Quantile(0.99));
            }
        }

        private static int Bucket(double value)
        {
            if (!(value > 0))
            {
                return 0;
            }

            var index = (int)Math.Floor((Math.Log2(value) - MinExponent) * SubBuckets);
            return Math.Clamp(index, 0, Buckets - 1);
        }

        private double Quantile(double q)
        {
            var rank = (long)Math.Ceiling(q * _count);
            long seen = 0;
            for (var i = 0; i < _buckets!.Length; i++)
            {
                seen += _buckets[i];
                if (seen >= rank && _buckets[i] > 0)
                {
                    // Upper edge of the bucket, clamped to what was actually observed.
                    return Math.Clamp(Math.Pow(2, MinExponent + ((i + 1.0) / SubBuckets)), _min, _max);
                }
            }

            return _max;
        }
    }
}
