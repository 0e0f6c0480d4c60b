#include "charts/TableExporter.h"

#include <QAbstractItemModel>
#include <QAbstractItemView>
#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QMessageBox>
#include <QSaveFile>

#include <cmath>

namespace poisonlab::ui {

namespace {

const QString kAbsent = QStringLiteral("–");

bool isNumber(const QVariant &v)
{
    switch (v.typeId()) {
    case QMetaType::Double:
    case QMetaType::Float:
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        return true;
    default:
        return false;
    }
}

QString exactValue(const QModelIndex &index)
{
    const QVariant exact = index.data(Qt::UserRole);
    if (isNumber(exact))
        return exact.typeId() == QMetaType::Double || exact.typeId() == QMetaType::Float
                   ? QString::number(exact.toDouble(), 'g', QLocale::FloatingPointShortest)
                   : exact.toString();
    if (exact.typeId() == QMetaType::QString)
        return exact.toString();
    const QString shown = index.data(Qt::DisplayRole).toString();
    return shown == kAbsent ? QString() : shown;
}

QString header(const QAbstractItemModel &model, int column)
{
    return model.headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
}

// A column shown in percent ("Hit@10 %": 93.33) keeps ratios (0.9333) as its exact values: the
// CSV's header says so instead of "%".
bool showsRatiosAsPercent(const QAbstractItemModel &model, int column)
{
    bool any = false;
    for (int r = 0; r < model.rowCount(); ++r) {
        const QModelIndex i = model.index(r, column);
        const QVariant exact = i.data(Qt::UserRole);
        if (!isNumber(exact))
            continue;
        bool ok = false;
        const double shown = i.data().toString().toDouble(&ok);
        if (!ok || std::abs(shown - exact.toDouble() * 100) > 0.01)
            return false;
        any = true;
    }
    return any;
}

QString csvHeader(const QAbstractItemModel &model, int column)
{
    QString h = header(model, column);
    if (h.endsWith(QLatin1String(" %")) && showsRatiosAsPercent(model, column))
        h = h.chopped(2) + QStringLiteral(" (ratio)");
    return h;
}

} // namespace

QString TableExporter::csvField(const QString &text)
{
    static const QString special = QStringLiteral(",\"\n\r");
    bool quote = text.startsWith(QLatin1Char(' ')) || text.endsWith(QLatin1Char(' '));
    for (QChar c : text)
        quote = quote || special.contains(c);
    if (!quote)
        return text;
    QString out = text;
    out.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + out + QLatin1Char('"');
}

QString TableExporter::toCsv(const QAbstractItemModel &model)
{
    QString out;
    QStringList fields;
    for (int c = 0; c < model.columnCount(); ++c)
        fields << csvField(csvHeader(model, c));
    out += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (int r = 0; r < model.rowCount(); ++r) {
        fields.clear();
        for (int c = 0; c < model.columnCount(); ++c)
            fields << csvField(exactValue(model.index(r, c)));
        out += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return out;
}

QString TableExporter::escapeLatex(const QString &text)
{
    QString out;
    out.reserve(text.size() + 8);
    for (QChar c : text) {
        switch (c.unicode()) {
        case '\\':
            out += QStringLiteral("\\textbackslash{}");
            break;
        case '&':
        case '%':
        case '$':
        case '#':
        case '_':
        case '{':
        case '}':
            out += QLatin1Char('\\') + c;
            break;
        case '~':
            out += QStringLiteral("\\textasciitilde{}");
            break;
        case '^':
            out += QStringLiteral("\\textasciicircum{}");
            break;
        case 0x2192: // →
            out += QStringLiteral("$\\rightarrow$");
            break;
        case 0x2013: // –
            out += QStringLiteral("--");
            break;
        case 0x03C6: // φ
            out += QStringLiteral("$\\varphi$");
            break;
        default:
            out += c;
        }
    }
    return out;
}

QString TableExporter::toLatex(const QAbstractItemModel &model)
{
    const int columns = model.columnCount();
    QString spec;
    for (int c = 0; c < columns; ++c) {
        bool numeric = model.rowCount() > 0;
        for (int r = 0; r < model.rowCount() && numeric; ++r) {
            const QModelIndex i = model.index(r, c);
            numeric = isNumber(i.data(Qt::UserRole)) || i.data().toString() == kAbsent;
        }
        spec += numeric ? QLatin1Char('r') : QLatin1Char('l');
    }
    auto row = [](const QStringList &cells) { return cells.join(QStringLiteral(" & ")) + QStringLiteral(" \\\\\n"); };
    QStringList cells;
    for (int c = 0; c < columns; ++c)
        cells << escapeLatex(header(model, c));
    QString out =
        QStringLiteral("% Exported by PoisonLab; needs \\usepackage{booktabs}\n\\begin{tabular}{%1}\n\\toprule\n")
            .arg(spec);
    out += row(cells) + QStringLiteral("\\midrule\n");
    for (int r = 0; r < model.rowCount(); ++r) {
        cells.clear();
        for (int c = 0; c < columns; ++c)
            cells << escapeLatex(model.index(r, c).data(Qt::DisplayRole).toString());
        out += row(cells);
    }
    return out + QStringLiteral("\\bottomrule\n\\end{tabular}\n");
}

std::optional<TableExporter::Format> TableExporter::formatOf(const QString &path)
{
    const QString s = QFileInfo(path).suffix().toLower();
    if (s == QLatin1String("csv"))
        return Format::Csv;
    if (s == QLatin1String("tex"))
        return Format::Latex;
    return std::nullopt;
}

QString TableExporter::withSuffix(const QString &path, Format format)
{
    if (path.isEmpty() || formatOf(path))
        return path;
    return path + (format == Format::Csv ? QStringLiteral(".csv") : QStringLiteral(".tex"));
}

QString TableExporter::fileFilter()
{
    return QObject::tr("CSV table (*.csv);;LaTeX tabular (*.tex)");
}

bool TableExporter::write(const QAbstractItemModel &model, const QString &path, Format format, QString *error)
{
    QSaveFile file(path);
    const QByteArray bytes = (format == Format::Csv ? toCsv(model) : toLatex(model)).toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
        file.cancelWriting();
        return false;
    }
    return true;
}

void TableExporter::exportInteractively(QWidget *parent, const QAbstractItemModel *model, const QString &suggestedName)
{
    if (!model)
        return;
    const QString filter = fileFilter();
    QString selected = filter.section(QStringLiteral(";;"), 0, 0);
    const QString typed = QFileDialog::getSaveFileName(parent, QObject::tr("Export table"),
                                                       QDir::home().filePath(suggestedName), filter, &selected);
    if (typed.isEmpty())
        return;
    const Format chosen = selected.contains(QLatin1String("*.tex")) ? Format::Latex : Format::Csv;
    const QString path = withSuffix(typed, chosen);
    QString error;
    if (!write(*model, path, formatOf(path).value_or(chosen), &error))
        QMessageBox::warning(parent, QObject::tr("Export failed"), error);
}

QAction *TableExporter::addExportAction(QAbstractItemView *view, const QString &suggestedName)
{
    auto *action = new QAction(QObject::tr("Export table…"), view);
    action->setToolTip(QObject::tr("Save this table as CSV (exact values) or LaTeX (as shown)"));
    view->setContextMenuPolicy(Qt::ActionsContextMenu);
    view->addAction(action);
    QObject::connect(action, &QAction::triggered, view,
                     [view, suggestedName] { exportInteractively(view, view->model(), suggestedName); });
    return action;
}

} // namespace poisonlab::ui
