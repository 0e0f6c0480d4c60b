#pragma once

#include "analysis/AnalysisRuns.h"

#include <QTabWidget>

namespace poisonlab::ui {

class RunComparisonView;
class RunViewer;

/// The Results step: the open run (RunViewer), several runs compared (RunComparisonView), and
/// the analysis views, as tabs. The analysis views look at the run shown and its clean
/// counterpart (core's findCleanCounterpart: `<run>-clean` or a clean sibling over the same
/// data), updated each time a run is shown.
class ResultsPage : public QTabWidget {
    Q_OBJECT
public:
    explicit ResultsPage(QWidget *parent = nullptr);

    RunViewer *runViewer() const { return m_viewer; }
    RunComparisonView *comparison() const { return m_comparison; }
    /// The runs the analysis views show now.
    AnalysisRuns analysisRuns() const { return m_runs; }

    void showRun(const QString &dir);      ///< reads it on a thread; the Run tab comes to the front
    void compare(const QStringList &dirs); ///< replaces the compared runs; that tab to the front
    /// Adds an analysis view as a tab; it gets setRuns() now and whenever the shown run changes.
    template <typename View>
    void addAnalysisView(View *view, const QString &title)
    {
        addTab(view, title);
        view->setRuns(m_runs);
        connect(this, &ResultsPage::analysisRunsChanged, view, &View::setRuns);
    }

Q_SIGNALS:
    void analysisRunsChanged(const poisonlab::ui::AnalysisRuns &runs);

private:
    void runShown(const QString &dir);

    RunViewer *m_viewer;
    RunComparisonView *m_comparison;
    AnalysisRuns m_runs;
};

} // namespace poisonlab::ui
