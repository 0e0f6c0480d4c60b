#pragma once

#include "poisonlab/core/attack/PoisonManifest.h"
#include "poisonlab/core/data/Dataset.h"

#include <QString>
#include <QWidget>

#include <memory>

class QLabel;
class QListView;
class QProgressBar;
class QPushButton;

namespace poisonlab {
struct ProgressEvent;
}

namespace poisonlab::ui {

class ExperimentDraft;
class JobRunner;
class PoisonedPairDelegate;
class PoisonedPairListModel;
struct PoisonPreviewResult;

/// The attack designer's preview of the poisoned pairs, before any training: exactly the pairs
/// `poisonlab-cli poison` exports for the draft's config (same datasets, split, attack, seed).
/// refresh() resolves the draft and builds the poisoned training set on a JobRunner; a newer
/// refresh supersedes a running one and its result is dropped.
///
/// Shows "N poisoned pairs of |D| training pairs — φ = …", a line per goal, and the pairs a page
/// at a time (caption | original image → substituted image). While a refresh runs the last
/// preview stays, greyed; a failure clears it (manifest() becomes null) and shows the message,
/// naming the file, in the panel.
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

    /// The header line ("N poisoned pairs of |D| training pairs — φ = …").
    QString summaryText() const;
    /// One line per goal ("sheep → aeroplane: 20 of 20 eligible images, 100 pairs").
    QString goalsText() const;
    QString errorText() const; ///< empty when the last refresh did not fail

    PoisonedPairListModel *pairModel() const { return m_model; }
    PoisonedPairDelegate *pairDelegate() const { return m_delegate; }
    QListView *pairView() const { return m_view; }
    /// Paging: the model shows one page; these move it and keep "page k of n" in step.
    void setPage(int page);
    void setPageSize(int pairs);
    QString pageText() const;
    /// Logical pixels; both images of a pair share it. Until this is called the size follows the
    /// list's width (PoisonedPairDelegate::fittingThumbnailSide).
    void setThumbnailSize(QSize size);

Q_SIGNALS:
    void previewReady(std::shared_ptr<const poisonlab::attack::PoisonManifest> manifest,
                      std::shared_ptr<const poisonlab::data::Dataset> poisoned);
    void previewFailed(const QString &message, const QString &file);
    void busyChanged(bool busy);
    /// "Show in pair browser": the lead marks manifest()'s pairs in the open dataset
    /// (RunPoisonMarker::matchRun with the draft's resolved config).
    void showInBrowserRequested();

protected:
    void showEvent(QShowEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *buildPager();
    void showResult(const PoisonPreviewResult &result);
    void showFailure(const QString &message, const QString &file);
    void showProgress(const ProgressEvent &event);
    void showPage(int page, int pageCount);
    void setBusy(bool busy);
    void updateDevicePixelRatio();
    void applyThumbnailSize(QSize size);

    ExperimentDraft *m_draft;
    JobRunner *m_runner;
    std::shared_ptr<const attack::PoisonManifest> m_manifest;
    std::shared_ptr<const data::Dataset> m_dataset;
    PoisonedPairListModel *m_model;
    PoisonedPairDelegate *m_delegate;
    QLabel *m_summary;
    QLabel *m_goals;
    QLabel *m_error;
    QProgressBar *m_progress;
    QPushButton *m_refresh;
    QPushButton *m_cancel;
    QPushButton *m_showInBrowser;
    QListView *m_view;
    QWidget *m_pager = nullptr;
    QPushButton *m_prev;
    QPushButton *m_next;
    QLabel *m_pageLabel;
    bool m_screenWatched = false;
    bool m_fitThumbnails = true;
};

} // namespace poisonlab::ui
