using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Cli.Output;

/// <summary>
/// <c>berth build</c>'s live display on a terminal, in the manner of BuildKit's: one line per step with its state and
/// time, the last lines of the running step's output beneath it, redrawn in place as the build goes; then the
/// result lines. It is a <see cref="TextWriter"/> fed with the legacy builder's stream text (what a pipe shows as
/// it comes), which it reads line by line: "Step n/m : ..." begins a step, " ---> Using cache" marks it cached,
/// " ---> id" ends it, "Successfully ..." lines are kept for the end, anything else is the step's output.
/// </summary>
internal sealed partial class BuildProgress : TextWriter
{
    const int OutputLines = 6;

    sealed class Step(string title)
    {
        public string Title { get; } = title;
        public Stopwatch Clock { get; } = Stopwatch.StartNew();
        public bool Cached { get; set; }
        public bool Done { get; set; }
        public bool Failed { get; set; }
        public Queue<string> Output { get; } = new();
    }

    readonly TextWriter _terminal;
    readonly int _width;
    readonly int _height;
    readonly Stopwatch _clock = Stopwatch.StartNew();
    readonly List<Step> _steps = [];
    readonly List<string> _results = [];
    readonly StringBuilder _line = new();
    readonly Lock _lock = new();
    readonly Timer _ticker;
    int _drawn;
    int _total;
    bool _finished;

    public BuildProgress(TextWriter terminal, int width, int height)
    {
        _terminal = terminal;
        // A terminal that reports no size (0 x 0) gets the usual 80 x 24.
        _width = width > 0 ? Math.Max(20, width) : 80;
        _height = height > 0 ? Math.Max(8, height) : 24;
        _ticker = new Timer(_ => Redraw(), null, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));
    }

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_lock)
        {
            if (value == '\n')
            {
                Take(_line.ToString().TrimEnd('\r'));
                _line.Clear();
            }
            else
                _line.Append(value);
        }
    }

    /// <summary>Taken in; drawn by the next tick (every 100 ms), not per message: a chatty RUN would redraw for every line.</summary>
    public override void Write(string? value)
    {
        foreach (char c in value ?? "")
            Write(c);
    }

    /// <summary>The last redraw, the step that was running marked failed when <paramref name="failed"/>, then the result lines.</summary>
    public void Finish(bool failed)
    {
        _ticker.Dispose();
        lock (_lock)
        {
            if (_line.Length > 0)
                Take(_line.ToString());
            _line.Clear();
            if (failed && _steps.LastOrDefault() is { Done: false } running)
                running.Failed = true;
            foreach (var step in _steps)
                step.Done = true;
            DrawLocked();
            _finished = true;
            foreach (string result in _results)
                _terminal.Write(result + "\n");
            _terminal.Flush();
        }
    }

    void Take(string line)
    {
        if (StepLine().Match(line) is { Success: true } step)
        {
            if (_steps.LastOrDefault() is { } previous)
                previous.Done = true;
            _total = int.Parse(step.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            _steps.Add(new Step($"[{step.Groups[1].Value}/{step.Groups[2].Value}] {step.Groups[3].Value}"));
            return;
        }
        var current = _steps.LastOrDefault();
        if (line.StartsWith("Successfully ", StringComparison.Ordinal))
        {
            if (current is not null)
                current.Done = true;
            _results.Add(line);
        }
        else if (line == " ---> Using cache")
        {
            if (current is not null)
                current.Cached = true;
        }
        else if (line.StartsWith(" ---> Running in ", StringComparison.Ordinal) || line.StartsWith("Removing intermediate container ", StringComparison.Ordinal))
        {
            // The legacy builder's bookkeeping: the display's step line says as much.
        }
        else if (ResultLine().IsMatch(line))
        {
            if (current is not null)
                current.Done = true;
        }
        else if (current is not null)
        {
            current.Output.Enqueue(line);
            while (current.Output.Count > OutputLines)
                current.Output.Dequeue();
        }
        else
            _results.Add(line);
    }

    void Redraw()
    {
        lock (_lock)
        {
            if (!_finished)
                DrawLocked();
        }
    }

    void DrawLocked()
    {
        var screen = new StringBuilder();
        if (_drawn > 0)
            screen.Append($"\x1b[{_drawn}A\r");
        screen.Append("\x1b[J");
        var lines = new List<string> { $"[+] Building {Seconds(_clock.Elapsed)} ({_steps.Count(s => s.Done)}/{Math.Max(_total, _steps.Count)})" };
        // As many steps as the terminal shows, the latest ones (with the running step's output).
        int room = _height - 2 - (_steps.LastOrDefault() is { Done: false } last ? last.Output.Count : 0);
        foreach (var step in _steps.Skip(Math.Max(0, _steps.Count - room)))
        {
            if (step.Done && !step.Failed)
                step.Clock.Stop();
            string state = step.Failed ? "ERROR " : step.Cached ? "CACHED " : "";
            lines.Add(Fit($" => {state}{step.Title}", Seconds(step.Clock.Elapsed)));
            if (!step.Done || step.Failed)
                lines.AddRange(step.Output.Select(o => Fit($" => => # {o}", "")));
        }
        foreach (string line in lines)
            screen.Append(line).Append('\n');
        _drawn = lines.Count;
        _terminal.Write(screen.ToString());
        _terminal.Flush();
    }

    /// <summary>The text cut to the terminal's width (a wrapped line would throw the redraw off), the time at the right.</summary>
    string Fit(string text, string time)
    {
        int room = _width - 1 - (time.Length > 0 ? time.Length + 1 : 0);
        text = text.Replace('\t', ' ');
        if (text.Length > room)
            text = text[..Math.Max(0, room)];
        return time.Length == 0 ? text : text.PadRight(room) + " " + time;
    }

    static string Seconds(TimeSpan elapsed) => $"{elapsed.TotalSeconds:0.0}s";

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _ticker.Dispose();
        base.Dispose(disposing);
    }

    [GeneratedRegex(@"^Step (\d+)/(\d+) : (.*)$")]
    private static partial Regex StepLine();

    [GeneratedRegex(@"^ ---> [0-9a-f]{12,64}$")]
    private static partial Regex ResultLine();
}
