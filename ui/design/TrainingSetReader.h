#pragma once

#include "design/TrainingSetSummary.h"

#include <QMetaType>
#include <QObject>
#include <QString>

#include <memory>

class QTimer;

namespace poisonlab::ui {

class ExperimentDraft;
class JobRunner;

/// Reads the experiment's training set as core builds it (prepareExperimentData on the draft
/// without its attack) on a JobRunner, and counts it into a TrainingSetSummary. Reads again,
/// debounced, when the draft's "datasets" or "train" sections, its variables or the whole
/// document change; a read of the same data as the last good one is skipped.
class TrainingSetReader : public QObject {
    Q_OBJECT
public:
    explicit TrainingSetReader(ExperimentDraft *draft, QObject *parent = nullptr);
    ~TrainingSetReader() override;

    std::shared_ptr<const TrainingSetSummary> summary() const { return m_summary; }
    bool isBusy() const;
    QString errorText() const { return m_error; } ///< the last read's failure ("" when it worked)
    QString errorFile() const { return m_errorFile; }
    void setDebounceMs(int ms);

public Q_SLOTS:
    void scheduleRead(); ///< reads after the debounce delay (~300 ms)
    void readNow();

Q_SIGNALS:
    void started();
    void ready(std::shared_ptr<const poisonlab::ui::TrainingSetSummary> summary);
    void failed(const QString &message, const QString &file);

private:
    void fail(const QString &message, const QString &file);

    ExperimentDraft *m_draft;
    JobRunner *m_runner;
    QTimer *m_debounce;
    std::shared_ptr<const TrainingSetSummary> m_summary;
    QString m_readKey;    ///< what the running or last good read read
    QString m_pendingKey; ///< what the running read reads
    QString m_error;
    QString m_errorFile;
};

} // namespace poisonlab::ui

Q_DECLARE_METATYPE(std::shared_ptr<const poisonlab::ui::TrainingSetSummary>)
