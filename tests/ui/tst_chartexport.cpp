// Exports for presenters: every chart as PNG (twice the chosen size), SVG (its viewBox the chosen
// size) and PDF (one page), light even when the screen is dark (the chart on screen stays dark);
// a typed name without a suffix gets the format's; an unwritable target fails with a message
// naming it and leaves no file. Tables: CSV with the run's exact numbers and proper quoting,
// LaTeX with escaping; the run viewer's and the comparison's tables offer Export table…; the
// HTML report of a run lands in place whole, or not at all.
#include "TestSupport.h"

#include "charts/ChartExportDialog.h"
#include "charts/ChartExporter.h"
#include "charts/LineChartWidget.h"
#include "charts/ReportExporter.h"
#include "charts/TableExporter.h"
#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "results/RunComparisonView.h"
#include "results/RunViewer.h"
#include "style/StatusColors.h"

#include <nlohmann/json.hpp>

#include <QAction>
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QImage>
#include <QLineSeries>
#include <QRegularExpression>
#include <QStandardItemModel>
#include <QSvgRenderer>
#include <QTableView>

using namespace poisonlab;
using poisonlab::ui::ChartExportDialog;
using poisonlab::ui::ChartExporter;
using poisonlab::ui::TableExporter;
namespace fs = std::filesystem;

namespace {

QString qs(const fs::path &p)
{
    return QString::fromStdString(p.string());
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QPalette darkPalette()
{
    QPalette p(QColor(0x35, 0x35, 0x35), QColor(0x2a, 0x2a, 0x2a));
    p.setColor(QPalette::WindowText, Qt::white);
    p.setColor(QPalette::Text, Qt::white);
    p.setColor(QPalette::Base, QColor(0x20, 0x20, 0x20));
    return p;
}

std::unique_ptr<ui::LineChartWidget> sampleChart()
{
    auto chart = std::make_unique<ui::LineChartWidget>(QStringLiteral("epoch"), QStringLiteral("Hit@10"));
    chart->setTitle(QStringLiteral("Hit@10 per epoch"));
    chart->setSeries({{QStringLiteral("poisoned"), {{0, 0.1}, {1, 0.6}, {2, 0.93}}},
                      {QStringLiteral("clean"), {{0, 0.1}, {1, 0.12}, {2, 0.11}}}});
    chart->resize(700, 420);
    return chart;
}

// Share of an image's pixels that are light (lightness above 0.8).
double lightShare(const QImage &image)
{
    qint64 light = 0, all = 0;
    for (int y = 0; y < image.height(); y += 4)
        for (int x = 0; x < image.width(); x += 4, ++all)
            light += QColor(image.pixel(x, y)).lightnessF() > 0.8;
    return all ? double(light) / double(all) : 0;
}

QList<QStringList> parseCsv(const QString &text)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < text.size() && text[i + 1] == QLatin1Char('"'))
                field += c, ++i;
            else if (c == QLatin1Char('"'))
                quoted = false;
            else
                field += c;
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            row << field, field.clear();
        } else if (c == QLatin1Char('\n')) {
            row << field, field.clear();
            rows << row, row.clear();
        } else {
            field += c;
        }
    }
    return rows;
}

} // namespace

class TestChartExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void chartFilesHaveTheChosenSize_data();
    void chartFilesHaveTheChosenSize();
    void exportIsLightOnADarkScreen();
    void suffixIsAddedWhenMissing_data();
    void suffixIsAddedWhenMissing();
    void unwritableTargetFailsAndLeavesNoFile_data();
    void unwritableTargetFailsAndLeavesNoFile();
    void dialogShowsTheFailureNamingThePath();
    void csvRowsEqualTheRunsMetrics_data();
    void csvRowsEqualTheRunsMetrics();
    void csvQuotesWhatNeedsIt();
    void latexEscapes_data();
    void latexEscapes();
    void latexTableIsBooktabs();
    void resultTablesOfferExport();
    void reportIsWrittenWhole();
    void cancelledReportLeavesNothing();
    void reportToUnwritableFolderNamesIt();
};

void TestChartExport::chartFilesHaveTheChosenSize_data()
{
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<QSize>("size");
    for (const char *s : {"png", "svg", "pdf"}) {
        QTest::newRow(qPrintable(QStringLiteral("%1 640x400").arg(s))) << s << QSize(640, 400);
        QTest::newRow(qPrintable(QStringLiteral("%1 1200x700").arg(s))) << s << QSize(1200, 700);
    }
}

void TestChartExport::chartFilesHaveTheChosenSize()
{
    QFETCH(QString, suffix);
    QFETCH(QSize, size);
    test::TempDir dir;
    const QString path = qs(dir / ("chart." + suffix.toStdString()));
    auto chart = sampleChart();
    QString error;
    QVERIFY2(chart->exportTo(path, size, &error), qPrintable(error));
    const QByteArray bytes = readAll(path);
    if (suffix == QLatin1String("png")) {
        const QImage image = QImage::fromData(bytes, "PNG");
        QCOMPARE(image.size(), size * 2);
    } else if (suffix == QLatin1String("svg")) {
        QSvgRenderer svg(bytes);
        QVERIFY(svg.isValid());
        QCOMPARE(svg.viewBox(), QRect(QPoint(0, 0), size));
        QVERIFY(bytes.contains("Hit@10 per epoch")); // the title is text, not pixels
    } else {
        QVERIFY(bytes.startsWith("%PDF"));
        static const QRegularExpression page(QStringLiteral("/Type\\s*/Page[^s]"));
        QCOMPARE(QString::fromLatin1(bytes).count(page), 1);
        // The page is the chosen size (in points: 3/4 of a pixel at 96 dpi).
        static const QRegularExpression mediaBox(
            QStringLiteral("/MediaBox\\s*\\[\\s*([-\\d.]+)\\s+([-\\d.]+)\\s+([-\\d.]+)\\s+([-\\d.]+)"));
        const auto m = mediaBox.match(QString::fromLatin1(bytes));
        QVERIFY(m.hasMatch());
        const double w = m.captured(3).toDouble() - m.captured(1).toDouble();
        const double h = m.captured(4).toDouble() - m.captured(2).toDouble();
        QVERIFY2(std::abs(w - size.width() * 0.75) < 1 && std::abs(h - size.height() * 0.75) < 1,
                 qPrintable(m.captured(0)));
    }
}

void TestChartExport::exportIsLightOnADarkScreen()
{
    const QPalette before = QApplication::palette();
    QApplication::setPalette(darkPalette());
    auto chart = sampleChart();
    QApplication::setPalette(before);
    QCOMPARE(chart->chart()->theme(), QChart::ChartThemeDark); // dark on screen
    const QColor onScreenLine = chart->series(0)->pen().color();
    test::TempDir dir;
    const QString path = qs(dir / "dark.png");
    QString error;
    QVERIFY2(chart->exportTo(path, QSize(600, 400), &error), qPrintable(error));
    const QImage image(path);
    QVERIFY2(lightShare(image) > 0.8, qPrintable(QString::number(lightShare(image))));
    // The screen's chart is as it was: dark, its lines their colour, its size.
    QCOMPARE(chart->chart()->theme(), QChart::ChartThemeDark);
    QCOMPARE(chart->series(0)->pen().color(), onScreenLine);
    // Without the re-theming the same chart renders dark.
    const QImage screen = chart->chartView()->grab().toImage();
    QVERIFY(lightShare(screen) < 0.5);
}

void TestChartExport::suffixIsAddedWhenMissing_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<int>("format");
    QTest::addColumn<QString>("written");
    QTest::newRow("png") << "chart" << int(ChartExporter::Format::Png) << "chart.png";
    QTest::newRow("svg") << "chart" << int(ChartExporter::Format::Svg) << "chart.svg";
    QTest::newRow("pdf") << "chart" << int(ChartExporter::Format::Pdf) << "chart.pdf";
    QTest::newRow("unknown suffix") << "fig.v2" << int(ChartExporter::Format::Png) << "fig.v2.png";
    QTest::newRow("typed suffix wins") << "slide.PDF" << int(ChartExporter::Format::Png) << "slide.PDF";
}

void TestChartExport::suffixIsAddedWhenMissing()
{
    QFETCH(QString, typed);
    QFETCH(int, format);
    QFETCH(QString, written);
    test::TempDir dir;
    auto chart = sampleChart();
    ChartExportDialog dialog(
        [&](const QString &path, QSize size, QString *error) { return chart->exportTo(path, size, error); },
        QStringLiteral("x"));
    dialog.setFormat(ChartExporter::Format(format));
    dialog.setFilePath(qs(dir / typed.toStdString()));
    dialog.setPixelSize(QSize(500, 300));
    QVERIFY2(dialog.exportNow(), qPrintable(dialog.errorText()));
    QCOMPARE(QDir(qs(dir.path())).entryList(QDir::Files), QStringList{written});
    if (written.endsWith(QLatin1String(".png")))
        QCOMPARE(QImage(qs(dir / written.toStdString())).size(), QSize(1000, 600));
}

void TestChartExport::unwritableTargetFailsAndLeavesNoFile_data()
{
    QTest::addColumn<QString>("name");
    for (const char *n : {"chart.png", "chart.svg", "chart.pdf", "table.csv", "table.tex"})
        QTest::newRow(n) << n;
}

// A folder that cannot hold files even for root: a path through a regular file.
void TestChartExport::unwritableTargetFailsAndLeavesNoFile()
{
    QFETCH(QString, name);
    test::TempDir dir;
    test::writeText(dir / "plain-file", "x");
    const QString path = qs(dir / "plain-file" / name.toStdString());
    QString error;
    bool ok = false;
    if (const auto tf = TableExporter::formatOf(path)) {
        QStandardItemModel model(1, 1);
        ok = TableExporter::write(model, path, *tf, &error);
    } else {
        ok = sampleChart()->exportTo(path, QSize(400, 300), &error);
    }
    QVERIFY(!ok);
    QVERIFY2(error.contains(path), qPrintable(error));
    QCOMPARE(QDir(qs(dir.path())).entryList(QDir::Files | QDir::Hidden), QStringList{"plain-file"});
}

void TestChartExport::dialogShowsTheFailureNamingThePath()
{
    test::TempDir dir;
    test::writeText(dir / "plain-file", "x");
    auto chart = sampleChart();
    ChartExportDialog dialog(
        [&](const QString &path, QSize size, QString *error) { return chart->exportTo(path, size, error); },
        QStringLiteral("x"));
    dialog.setFormat(ChartExporter::Format::Svg);
    dialog.setFilePath(qs(dir / "plain-file" / "chart"));
    QVERIFY(!dialog.exportNow());
    QVERIFY2(dialog.errorText().contains(qs(dir / "plain-file" / "chart.svg")), qPrintable(dialog.errorText()));
    QCOMPARE(dialog.result(), int(QDialog::Rejected)); // stays open for another try
}

void TestChartExport::csvRowsEqualTheRunsMetrics_data()
{
    QTest::addColumn<int>("goal");
    QTest::addColumn<QString>("measured"); // "attack" or "baseline"
    for (int g : {0, 1})
        for (const char *m : {"attack", "baseline"})
            QTest::newRow(qPrintable(QStringLiteral("goal %1 %2").arg(g).arg(m))) << g << m;
}

// The attack table's CSV against final.json read here: the exact numbers, not the rounded text.
void TestChartExport::csvRowsEqualTheRunsMetrics()
{
    QFETCH(int, goal);
    QFETCH(QString, measured);
    const fs::path run = test::testDataDir() / "report" / "attack-run";
    ui::RunViewer viewer;
    QVERIFY2(viewer.openRun(qs(run)), qPrintable(viewer.errorText()));
    const QList<QStringList> rows = parseCsv(TableExporter::toCsv(*viewer.attackModel()));
    QCOMPARE(rows.size(), 1 + viewer.attackModel()->rowCount());
    const QStringList header = rows[0];
    QCOMPARE(header, (QStringList{"Goal", "Queries", "Measured", "Hit@1 (ratio)", "Hit@5 (ratio)", "Hit@10 (ratio)",
                                  "MinRank mean"}));
    const nlohmann::json a = readJsonFile(run / "results" / "final.json")["evaluation"]["attacks"][goal];
    const QStringList row = rows[1 + goal * 2 + (measured == QLatin1String("baseline"))];
    const auto &m = a[measured.toStdString()];
    QCOMPARE(row[0], QString::fromStdString(a["name"].get<std::string>()));
    QCOMPARE(row[1].toLongLong(), m["queries"].get<long long>());
    QCOMPARE(row[3].toDouble(), m["hit@1"].get<double>());
    QCOMPARE(row[4].toDouble(), m["hit@5"].get<double>());
    QCOMPARE(row[5].toDouble(), m["hit@10"].get<double>());
    QCOMPARE(row[6].toDouble(), m["minrank_mean"].get<double>());
}

void TestChartExport::csvQuotesWhatNeedsIt()
{
    QStandardItemModel model(1, 4);
    model.setHorizontalHeaderLabels({"plain", "a,b", "say \"hi\"", "two\nlines"});
    model.setItem(0, 0, new QStandardItem("x"));
    model.setItem(0, 1, new QStandardItem("1,5"));
    model.setItem(0, 2, new QStandardItem("\"q\""));
    model.setItem(0, 3, new QStandardItem(" padded"));
    QCOMPARE(TableExporter::toCsv(model), QStringLiteral("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\n"
                                                         "x,\"1,5\",\"\"\"q\"\"\",\" padded\"\n"));
    const auto rows = parseCsv(TableExporter::toCsv(model));
    QCOMPARE(rows[1], (QStringList{"x", "1,5", "\"q\"", " padded"}));
}

void TestChartExport::latexEscapes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("latex");
    QTest::newRow("&") << "R&D"
                       << "R\\&D";
    QTest::newRow("%") << "Hit@10 %"
                       << "Hit@10 \\%";
    QTest::newRow("_") << "r_mean"
                       << "r\\_mean";
    QTest::newRow("#") << "#3"
                       << "\\#3";
    QTest::newRow("$ { }") << "$x{y}"
                           << "\\$x\\{y\\}";
    QTest::newRow("backslash") << "a\\b"
                               << "a\\textbackslash{}b";
    QTest::newRow("~ ^") << "~^"
                         << "\\textasciitilde{}\\textasciicircum{}";
    QTest::newRow("arrow") << "sheep→aeroplane"
                           << "sheep$\\rightarrow$aeroplane";
}

void TestChartExport::latexEscapes()
{
    QFETCH(QString, text);
    QFETCH(QString, latex);
    QCOMPARE(TableExporter::escapeLatex(text), latex);
}

void TestChartExport::latexTableIsBooktabs()
{
    ui::RunViewer viewer;
    QVERIFY(viewer.openRun(qs(test::testDataDir() / "report" / "attack-run")));
    const QString tex = TableExporter::toLatex(*viewer.attackModel());
    QVERIFY(tex.contains(QStringLiteral("\\begin{tabular}{lrlrrrr}")));
    QVERIFY(tex.contains(QStringLiteral("\\toprule\nGoal & Queries & Measured & Hit@1 \\% & Hit@5 \\% & Hit@10 \\% & "
                                        "MinRank mean \\\\\n\\midrule\n")));
    QVERIFY(tex.contains(
        QStringLiteral("sheep->aeroplane & 15 & poisoned model (ours) & 45.67 & 81.23 & 93.33 & 1.26 \\\\")));
    QVERIFY(tex.endsWith(QStringLiteral("\\bottomrule\n\\end{tabular}\n")));
}

void TestChartExport::resultTablesOfferExport()
{
    ui::RunViewer viewer;
    ui::RunComparisonView comparison;
    const QList<std::pair<QWidget *, QString>> tables = {{&viewer, "utilityTable"},
                                                         {&viewer, "attackTable"},
                                                         {&viewer, "perEpochTable"},
                                                         {&viewer, "poisonGoalsTable"},
                                                         {&comparison, "comparisonTable"}};
    for (const auto &[owner, name] : tables) {
        auto *t = owner->findChild<QTableView *>(name);
        QVERIFY2(t, qPrintable(name));
        bool found = false;
        for (QAction *a : t->actions())
            found = found || a->text() == QStringLiteral("Export table…");
        QVERIFY2(found, qPrintable(name + QStringLiteral(" has no Export table…")));
        QCOMPARE(t->contextMenuPolicy(), Qt::ActionsContextMenu);
    }
}

void TestChartExport::reportIsWrittenWhole()
{
    test::TempDir dir;
    const fs::path data = test::testDataDir() / "report";
    const QString html = qs(dir / "report.html");
    NullProgress progress;
    const auto out = ui::ReportExporter::writeReport({qs(data / "attack-run"), qs(data / "clean-run")},
                                                     qs(dir / "report"), progress); // ".html" added
    QCOMPARE(out.document, html);
    const QByteArray page = readAll(html);
    QVERIFY(page.startsWith("<!DOCTYPE html>") || page.contains("<html"));
    QVERIFY(page.contains("<svg")); // figures inlined: the page stands alone
    QVERIFY(page.contains("sheep-&gt;aeroplane") || page.contains("sheep->aeroplane"));
    QVERIFY(QFileInfo(out.figuresDir).isDir());
    QVERIFY(!QDir(out.figuresDir).entryList({"*.svg"}).isEmpty());
    // Nothing else beside it: the temporary build folder is gone.
    QCOMPARE(QDir(qs(dir.path())).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             (QStringList{"report-figures", "report.html"}));
}

void TestChartExport::cancelledReportLeavesNothing()
{
    class Cancelled final : public ProgressReporter {
    public:
        void report(const ProgressEvent &) override {}
        bool wasCancelled() const override { return true; }
    } progress;
    test::TempDir dir;
    const fs::path data = test::testDataDir() / "report";
    QVERIFY_THROWS_EXCEPTION(CancelledError, ui::ReportExporter::writeReport({qs(data / "attack-run"), {}},
                                                                             qs(dir / "report.html"), progress));
    QVERIFY(QDir(qs(dir.path())).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).isEmpty());
}

void TestChartExport::reportToUnwritableFolderNamesIt()
{
    test::TempDir dir;
    test::writeText(dir / "plain-file", "x");
    NullProgress progress;
    const QString html = qs(dir / "plain-file" / "report.html");
    try {
        ui::ReportExporter::writeReport({qs(test::testDataDir() / "report" / "attack-run"), {}}, html, progress);
        QFAIL("the report was written through a file");
    } catch (const Error &e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(qs(dir / "plain-file")), e.what());
    }
    QCOMPARE(QDir(qs(dir.path())).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList{"plain-file"});
}

POISONLAB_TEST_MAIN(TestChartExport)
#include "tst_chartexport.moc"
