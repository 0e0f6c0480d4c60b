#pragma once

#include <QString>

#include <optional>

class QAbstractItemModel;
class QAbstractItemView;
class QAction;
class QWidget;

namespace poisonlab::ui {

/// Writes any table (a QAbstractItemModel, as a view shows it: sorted proxies included) as CSV or
/// as a LaTeX tabular, for papers and spreadsheets.
/// - CSV (RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled)
///   holds the EXACT values: a cell's Qt::UserRole when it keeps one (the result tables' numbers,
///   ResultCells), else its text; an absent number ("–" without a value) is an empty field. A
///   column shown in percent whose exact values are ratios gets "(ratio)" for "%" in its header.
/// - LaTeX (booktabs: \toprule, \midrule, \bottomrule) holds the texts as shown (rounded), with
///   & % $ # _ { } ~ ^ \ escaped; number columns are right-aligned.
/// The header row is the model's horizontal header. Files are written atomically (QSaveFile).
class TableExporter {
public:
    enum class Format { Csv, Latex };

    static QString toCsv(const QAbstractItemModel &model);
    static QString toLatex(const QAbstractItemModel &model);
    static QString escapeLatex(const QString &text);
    static QString csvField(const QString &text);

    static std::optional<Format> formatOf(const QString &path); ///< .csv or .tex
    /// `path` with the format's suffix (.csv, .tex) when it has no known one.
    static QString withSuffix(const QString &path, Format format);
    static QString fileFilter();
    /// Writes `model` to `path` in `format`; false and a message naming the path when it cannot.
    static bool write(const QAbstractItemModel &model, const QString &path, Format format, QString *error = nullptr);

    /// Asks for a file (CSV or LaTeX) and writes the view's model; problems in a message box.
    static void exportInteractively(QWidget *parent, const QAbstractItemModel *model, const QString &suggestedName);
    /// Adds "Export table…" to `view`'s context menu (right click); returns the action.
    static QAction *addExportAction(QAbstractItemView *view, const QString &suggestedName);
};

} // namespace poisonlab::ui
