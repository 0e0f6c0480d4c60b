#pragma once

#include "analysis/AnalysisRuns.h"
#include "analysis/RetrievalJob.h"

#include <QHash>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTimer;

namespace poisonlab::ui {

class JobRunner;
class RetrievalResultColumn;

/// The retrieval explorer (issue 17): type a caption (embedded live with each run's model, ~150 ms
/// after typing stops) or pick one of the gallery's captions, and see the top-K gallery images
/// of the poisoned run's model beside the clean run's (each side's model chosen: final, initial,
/// epoch-N), the attack's target images framed in red; pick an image to see its top-K captions.
/// Rankings are core's (experiment::RetrievalGallery: the metrics' scores and rank rule).
/// Galleries load once per run and model on a job (progress, cancel) and are kept; queries run
/// on a second job runner, each superseding the last.
class RetrievalExplorer : public QWidget {
    Q_OBJECT
public:
    explicit RetrievalExplorer(QWidget *parent = nullptr);
    ~RetrievalExplorer() override;

    /// The runs shown: `poisoned` on the left, `clean` (when set) on the right.
    void setRuns(const AnalysisRuns &runs);
    AnalysisRuns runs() const { return m_runs; }

    /// Types `text` as the query (the search starts after the typing pause, as when typed).
    void setQueryText(const QString &text);
    QString queryText() const;
    /// Picks gallery caption `row` of the left run as the query (at once).
    void pickCaption(int row);
    void setTopK(int k);

    int columnCount() const;
    RetrievalResultColumn *column(int side) const;
    /// The line under the query: what is loading, or why a query has no answer.
    QString statusText() const;
    bool isBusy() const;

Q_SIGNALS:
    /// The user selected result images (dataset paths, relative to their dataset root).
    void imagesSelected(const QStringList &datasetPaths);
    /// A query was answered (every side shows its results).
    void resultsShown();
    /// The galleries of the current runs and models are loaded (or failed to).
    void galleriesReady();

private:
    struct Side {
        QString runDir;
        QString model = "final";
    };
    static QString key(const Side &side) { return side.runDir + '\n' + side.model; }
    void buildLayout();
    void loadGalleries();
    void onGalleriesLoaded(const std::shared_ptr<RetrievalGalleries> &loaded);
    void applyGalleries();
    void fillCaptionPicker();
    bool startWithSourceCaption();
    void runQuery();
    void runImageQuery(const QString &path);
    void startQuery(RetrievalQuery query);
    void showAnswer(const RetrievalAnswer &answer);
    void setStatus(const QString &text, bool error);

    AnalysisRuns m_runs;
    std::vector<Side> m_sides;
    QHash<QString, GalleryPtr> m_galleries;
    QHash<QString, QStringList> m_models;
    GalleryPtr m_pickerGallery; ///< the gallery whose captions the picker lists
    int m_pickedCaption = -1;   ///< the picked caption's row, while the query line holds its text
    QString m_pickedImage;      ///< the dataset path of the image whose captions are asked for

    QLineEdit *m_query = nullptr;
    QComboBox *m_captionPicker = nullptr;
    QSpinBox *m_k = nullptr;
    QLabel *m_status = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_cancel = nullptr;
    std::vector<RetrievalResultColumn *> m_columns;
    QTimer *m_typingPause = nullptr;
    JobRunner *m_loader = nullptr;
    JobRunner *m_queries = nullptr;
};

} // namespace poisonlab::ui
