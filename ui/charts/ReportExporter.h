#pragma once

#include "analysis/AnalysisRuns.h"

#include "poisonlab/core/Progress.h"

#include <QObject>
#include <QString>
#include <QStringList>

class QWidget;

namespace poisonlab::ui {

class JobRunner;

/// What Export Report… wrote.
struct ReportExport {
    QString document;     ///< the HTML file: self-contained, every figure inlined as SVG
    QString figuresDir;   ///< <stem>-figures/ beside it: each figure as SVG and PNG, for slides
    QStringList problems; ///< inputs the report could not render (listed in the report too)
};

/// File › Export Report…: the HTML report of the open run(s), written by core's
/// report::ReportBuilder (the same as `poisonlab-cli report --format html`) on a JobRunner. The
/// page stands alone (figures inlined as SVG: the paper's tables, the per-epoch and defense
/// charts and the analyses of results/analysis — the class-pair grid, distance densities,
/// embedding shift, projections); the figures also go, as SVG and PNG, to <stem>-figures/
/// beside it. Everything is built in a temporary folder next to the target and moved into
/// place at the end, so a failed or cancelled export leaves nothing half-written.
class ReportExporter : public QObject {
    Q_OBJECT
public:
    explicit ReportExporter(QObject *parent = nullptr);
    ~ReportExporter() override;

    /// Writes the report of `runs` (poisoned, with the clean run as the utility table's clean
    /// row when there is one) to `htmlPath` in the background; ends in exported() or failed().
    void exportReport(const AnalysisRuns &runs, const QString &htmlPath);
    void cancel();
    bool isBusy() const;

    /// The slot for File › Export Report…: asks for the file (".html" added when missing), then
    /// exports; the outcome is shown in a message box over `parent`.
    void exportInteractively(QWidget *parent, const AnalysisRuns &runs);

    /// The job itself (any thread): builds the report, then moves it into place (".html" added to
    /// a name without a suffix). Throws
    /// poisonlab::Error naming the file or folder that cannot be written, CancelledError.
    static ReportExport writeReport(const AnalysisRuns &runs, const QString &htmlPath, ProgressReporter &progress);

Q_SIGNALS:
    void exported(const poisonlab::ui::ReportExport &result);
    void failed(const QString &message);
    void cancelled();
    void busyChanged(bool busy);

private:
    JobRunner *m_runner;
};

} // namespace poisonlab::ui

Q_DECLARE_METATYPE(poisonlab::ui::ReportExport)
