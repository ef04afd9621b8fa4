namespace NftKnock.Testing;

/// <summary>
/// The one test clock. Time moves only when a test advances it, and timers (so Task.Delay) fire when
/// their time comes; the wall clock can also step alone while monotonic time goes on. With
/// <see cref="FiresTimersAtOnce"/> it never waits: each timer moves time by its due time and fires,
/// so a test sees exactly which pauses the code asked for, in order, without sleeping.
/// </summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private readonly List<Timer> timers = [];
    private readonly List<TimeSpan> delays = [];
    private DateTimeOffset now = start;
    private TimeSpan monotonic = TimeSpan.FromHours(1);
    private TimeSpan elapsed;

    /// <summary>A clock at noon UTC on the first of January 2026.</summary>
    public TestClock()
        : this(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Whether a timer moves time forward by its due time and fires at once, instead of waiting for <see cref="Advance"/>.</summary>
    public bool FiresTimersAtOnce { get; init; }

    /// <summary>Every timer's due time, in the order the code asked for them.</summary>
    public IReadOnlyList<TimeSpan> Delays
    {
        get
        {
            lock (timers)
            {
                return [.. delays];
            }
        }
    }

    /// <summary>How far time has advanced since the start (wall-clock steps aside).</summary>
    public TimeSpan Elapsed
    {
        get
        {
            lock (timers)
            {
                return elapsed;
            }
        }
    }

    /// <summary>Timers waiting to fire.</summary>
    public int Waiting
    {
        get
        {
            lock (timers)
            {
                return timers.Count(t => t.Due is not null);
            }
        }
    }

    /// <inheritdoc/>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow()
    {
        lock (timers)
        {
            return now;
        }
    }

    /// <inheritdoc/>
    public override long GetTimestamp()
    {
        lock (timers)
        {
            return monotonic.Ticks;
        }
    }

    /// <summary>Steps the wall clock alone, as settimeofday, a restored VM snapshot or fake-hwclock do; time itself goes on.</summary>
    public void Step(TimeSpan by)
    {
        lock (timers)
        {
            now += by;
        }
    }

    /// <summary>Moves time forward and fires the timers that came due.</summary>
    public void Advance(TimeSpan by)
    {
        List<Timer> due;
        lock (timers)
        {
            now += by;
            monotonic += by;
            elapsed += by;
            due = timers.Where(t => t.Due <= now).ToList();
            foreach (var timer in due)
            {
                timer.Due = null;
            }
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (FiresTimersAtOnce)
        {
            lock (timers)
            {
                delays.Add(dueTime);
            }

            Advance(dueTime);
            ThreadPool.QueueUserWorkItem(_ => callback(state));
            return new Fired();
        }

        var timer = new Timer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class Timer(TestClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock.timers)
            {
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : clock.now + dueTime;
                if (!clock.timers.Contains(this))
                {
                    clock.timers.Add(this);
                }
            }

            if (Due <= clock.GetUtcNow())
            {
                Due = null;
                callback(state);
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (clock.timers)
            {
                clock.timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A timer that already fired: nothing is left to change.</summary>
    private sealed class Fired : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
