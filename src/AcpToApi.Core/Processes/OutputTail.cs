using System.Text;

namespace AcpToApi.Processes;

/// <summary>The last few KB of a child's diagnostic output, kept for error messages; older text is dropped.</summary>
internal sealed class OutputTail(int capacity = 4096)
{
    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();

    public void Append(string line)
    {
        lock (_gate)
        {
            _text.Append(line).Append('\n');
            if (_text.Length > capacity)
            {
                _text.Remove(0, _text.Length - capacity);
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString();
        }
    }
}
