namespace NftKnock.Cli.Tests.Rotating;

/// <summary>A clock that moves only when a test advances it; timers (and so Task.Delay) fire when their time comes.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly List<ManualTimer> timers = [];
    private DateTimeOffset now = start;
    private TimeSpan monotonic = TimeSpan.FromHours(1);

    public override DateTimeOffset GetUtcNow()
    {
        lock (timers)
        {
            return now;
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

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

    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (timers)
        {
            now += by;
            monotonic += by;
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

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
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
}
