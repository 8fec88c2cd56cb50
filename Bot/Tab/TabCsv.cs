using System.Globalization;
using CsvHelper;

namespace CustomerAdvocateBot.Tab;

/// <summary>
/// The CSV export: UTF-8 with a byte-order mark (so Excel reads it as UTF-8), RFC 4180 quoting and CRLF line ends, a
/// header row, and formula injection escaped (a cell starting with =, +, -, @, tab or CR gets a leading apostrophe and
/// quotes, so a spreadsheet shows it as text instead of running it).
/// </summary>
public static class TabCsv
{
    public static readonly string[] Header =
        ["Id", "Raised (UTC)", "Decision", "Verdict", "Flags", "Owner", "Review date", "Review overdue", "Outcome", "Outcome assessment", "Raised by", "Status"];

    public static CsvWriterOptions Options { get; } = new()
    {
        Mode = CsvMode.Rfc4180,
        NewLine = "\r\n",
        WriteByteOrderMark = true,
        Injection = CsvInjection.Escape,
    };

    public static async Task WriteAsync(Stream output, IAsyncEnumerable<TabDecisionRow> rows, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        await csv.WriteRecordAsync(Header, cancellationToken);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await csv.WriteRecordAsync(Cells(row), cancellationToken);
        }

        await csv.FlushAsync(cancellationToken);
    }

    /// <summary>The cells of one row, in <see cref="Header"/> order, as text.</summary>
    public static string[] Cells(TabDecisionRow row) =>
    [
        row.Id,
        row.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        row.Title,
        row.VerdictTitle,
        row.Flags.ToString(CultureInfo.InvariantCulture),
        row.Owner ?? string.Empty,
        row.ReviewDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty,
        row.ReviewOverdue ? "yes" : "no",
        row.Outcome ?? string.Empty,
        row.OutcomeAssessment ?? string.Empty,
        row.RaisedBy,
        row.Status,
    ];
}
