#pragma once

#include "poisonlab/core/attack/PoisonManifest.h"
#include "poisonlab/core/data/Dataset.h"

#include <QString>
#include <QWidget>

#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;

namespace poisonlab::ui {

class ExperimentDraft;
class JobRunner;
struct PoisonPreviewResult;

/// The attack designer's preview of the poisoned pairs, before any training: exactly the pairs
/// `poisonlab-cli poison` exports for the draft's config (same datasets, split, attack, seed).
/// refresh() resolves the draft and builds the poisoned training set on a JobRunner; a newer
/// refresh supersedes a running one. While one runs the last preview stays, greyed; a failure
/// clears it and shows the message (naming the file) in the panel.
class PoisonPreviewPanel : public QWidget {
    Q_OBJECT
public:
    explicit PoisonPreviewPanel(ExperimentDraft *draft, QWidget *parent = nullptr);
    ~PoisonPreviewPanel() override;

    /// Recomputes from draft->document() on the job runner; supersedes a running one.
    void refresh();
    /// Stops a running preview (the last good preview stays).
    void cancel();
    bool isBusy() const;

    std::shared_ptr<const attack::PoisonManifest> manifest() const; ///< null until ready
    std::shared_ptr<const data::Dataset> poisonedDataset() const;   ///< null until ready

    /// The header line ("N poisoned pairs of |D| training pairs — φ = …"), or the error shown.
    QString summaryText() const;
    QString errorText() const;

Q_SIGNALS:
    void previewReady(std::shared_ptr<const poisonlab::attack::PoisonManifest> manifest,
                      std::shared_ptr<const poisonlab::data::Dataset> poisoned);
    void previewFailed(const QString &message, const QString &file);
    void busyChanged(bool busy);
    /// "Show in pair browser": the lead marks manifest()'s pairs in the open dataset.
    void showInBrowserRequested();

private:
    void showResult(const PoisonPreviewResult &result);
    void showFailure(const QString &message, const QString &file);
    void setBusy(bool busy);

    ExperimentDraft *m_draft;
    JobRunner *m_runner;
    std::shared_ptr<const attack::PoisonManifest> m_manifest;
    std::shared_ptr<const data::Dataset> m_dataset;
    QLabel *m_summary;
    QLabel *m_error;
    QProgressBar *m_progress;
    QPushButton *m_refresh;
    QPushButton *m_showInBrowser;
};

} // namespace poisonlab::ui
