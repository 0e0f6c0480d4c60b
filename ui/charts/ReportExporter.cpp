#include "charts/ReportExporter.h"

#include "jobs/JobRunner.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/report/ReportBuilder.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QPointer>
#include <QTemporaryDir>

#include <filesystem>

namespace poisonlab::ui {

namespace fs = std::filesystem;

namespace {

fs::path toPath(const QString &s)
{
    return fs::path(s.toStdString());
}

// Moves the built figures folder over `target`: the old one aside first, removed once the new
// one is in place.
void replaceFolder(const fs::path &built, const fs::path &target)
{
    std::error_code ec;
    const fs::path old = target.string() + ".old";
    fs::remove_all(old, ec);
    if (fs::exists(target))
        fs::rename(target, old);
    fs::rename(built, target);
    fs::remove_all(old, ec);
}

} // namespace

ReportExporter::ReportExporter(QObject *parent)
    : QObject(parent), m_runner(new JobRunner(QStringLiteral("report"), this))
{
    qRegisterMetaType<ReportExport>();
    connect(m_runner, &JobRunner::finished, this,
            [this](quint64, const QVariant &result, double) { Q_EMIT exported(result.value<ReportExport>()); });
    connect(m_runner, &JobRunner::failed, this, [this](quint64, const QString &message, const QString &file) {
        Q_EMIT failed(file.isEmpty() || message.contains(file) ? message : file + QStringLiteral(": ") + message);
    });
    connect(m_runner, &JobRunner::cancelled, this, [this] { Q_EMIT cancelled(); });
    connect(m_runner, &JobRunner::busyChanged, this, &ReportExporter::busyChanged);
}

ReportExporter::~ReportExporter() = default;

bool ReportExporter::isBusy() const
{
    return m_runner->isBusy();
}

void ReportExporter::cancel()
{
    m_runner->cancel();
}

ReportExport ReportExporter::writeReport(const AnalysisRuns &runs, const QString &typedPath, ProgressReporter &progress)
{
    const QString htmlPath = QFileInfo(typedPath).suffix().isEmpty() ? typedPath + QStringLiteral(".html") : typedPath;
    const QString runDir = runs.poisoned.isEmpty() ? runs.clean : runs.poisoned;
    if (runDir.isEmpty())
        throw Error("no run is open to report on");
    const QFileInfo target(htmlPath);
    const QDir folder = target.absoluteDir();
    if (!folder.exists())
        throw Error(toPath(folder.absolutePath()), "is not an existing folder; the report cannot be written there");
    QTemporaryDir work(folder.filePath(QStringLiteral(".poisonlab-report-XXXXXX")));
    if (!work.isValid())
        throw Error(toPath(target.absoluteFilePath()),
                    "cannot be written: the folder is not writable (" + work.errorString().toStdString() + ")");
    progress.report({"report", 0, 2, "building the report", {}});
    report::ReportOptions options;
    options.runDir = toPath(runDir);
    if (!runs.poisoned.isEmpty() && !runs.clean.isEmpty())
        options.compareDir = toPath(runs.clean);
    options.format = report::ReportFormat::Html;
    options.out = toPath(QDir(work.path()).filePath(target.fileName()));
    const report::ReportOutput built = report::ReportBuilder(options).write();
    progress.throwIfCancelled(); // the temporary folder goes with `work`: nothing is left behind

    progress.report({"report", 1, 2, "moving the report into place", {}});
    const fs::path document = toPath(target.absoluteFilePath());
    const fs::path figures = report::ReportBuilder::figuresDirFor(document);
    try {
        if (fs::exists(built.figuresDir))
            replaceFolder(built.figuresDir, figures);
        fs::rename(built.document, document); // atomic over an older report
    } catch (const fs::filesystem_error &e) {
        throw Error(document, std::string("cannot be written: ") + e.code().message());
    }
    ReportExport out;
    out.document = target.absoluteFilePath();
    out.figuresDir = QString::fromStdString(figures.string());
    for (const auto &p : built.problems)
        out.problems << QString::fromStdString(p.text());
    progress.report({"report", 2, 2, "done", {}});
    return out;
}

void ReportExporter::exportReport(const AnalysisRuns &runs, const QString &htmlPath)
{
    m_runner->start([runs, htmlPath](ProgressReporter &progress) {
        return QVariant::fromValue(writeReport(runs, htmlPath, progress));
    });
}

void ReportExporter::exportInteractively(QWidget *parent, const AnalysisRuns &runs)
{
    if (runs.isEmpty()) {
        QMessageBox::information(parent, tr("Export Report"), tr("Open a run first (File › Open Run…)."));
        return;
    }
    const QString run = runs.poisoned.isEmpty() ? runs.clean : runs.poisoned;
    const QString suggested = QDir(run).filePath(QFileInfo(run).fileName() + QStringLiteral("-report.html"));
    const QString path =
        QFileDialog::getSaveFileName(parent, tr("Export Report"), suggested, tr("HTML report (*.html)"));
    if (path.isEmpty())
        return;
    // One outcome message per export; the connections go with it.
    auto *context = new QObject(this);
    QPointer<QWidget> owner(parent);
    auto done = [context] { context->deleteLater(); };
    connect(this, &ReportExporter::exported, context, [owner, done](const ReportExport &r) {
        QString text =
            tr("The report was written to %1 (its figures as SVG and PNG in %2).").arg(r.document, r.figuresDir);
        if (!r.problems.isEmpty())
            text += QStringLiteral("\n\n") + tr("Not rendered:") + QStringLiteral("\n") +
                    r.problems.join(QLatin1Char('\n'));
        QMessageBox::information(owner, tr("Export Report"), text);
        done();
    });
    connect(this, &ReportExporter::failed, context, [owner, done](const QString &message) {
        QMessageBox::warning(owner, tr("Export Report failed"), message);
        done();
    });
    connect(this, &ReportExporter::cancelled, context, done);
    exportReport(runs, path);
}

} // namespace poisonlab::ui
