#pragma once

#include "analysis/AnalysisRuns.h"

#include <nlohmann/json.hpp>

#include <QWidget>

#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;
class QStackedWidget;

namespace poisonlab::ui {

class DensityChart;
class JobRunner;

/// The paper's Figure 1 over a clean/poisoned pair of runs: for every test image and caption,
/// the cosine distance between the clean model's embedding and the poisoned model's, as two
/// filled densities (images, captions) with each group's mean, median and 90th percentile. The
/// modality with the larger distances is the one the poison moved more. Read from (or computed by
/// core into) the poisoned run's results/analysis/embedding_shift.json on a JobRunner. Without a
/// clean run it says so and offers to pick one (pickCleanRunRequested()).
class EmbeddingShiftView : public QWidget {
    Q_OBJECT
public:
    explicit EmbeddingShiftView(QWidget *parent = nullptr);

    void setRuns(const AnalysisRuns &runs);
    AnalysisRuns runs() const { return m_runs; }

    /// The message shown instead of the chart (empty while the chart shows).
    QString message() const;
    /// The shift as read or computed (embedding_shift.json's shape; null before).
    const nlohmann::json &shift() const { return m_shift; }
    QString summaryText() const;
    DensityChart *chart() const { return m_chart; }
    JobRunner *runner() const { return m_runner; }

Q_SIGNALS:
    /// The view needs the poisoned run's clean counterpart; the lead offers to pick one.
    void pickCleanRunRequested();
    /// The shift of the current runs is shown.
    void shiftShown();

private:
    void showMessage(const QString &text, bool offerPick);
    void showShift(const nlohmann::json &result);

    AnalysisRuns m_runs;
    nlohmann::json m_shift;
    JobRunner *m_runner;
    QStackedWidget *m_stack;
    QLabel *m_message;
    QPushButton *m_pick;
    QProgressBar *m_progress;
    DensityChart *m_chart;
    QLabel *m_summary;
};

} // namespace poisonlab::ui
