#pragma once

#include "analysis/RetrievalJob.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;

namespace poisonlab::ui {

class ThumbnailCache;

/// One model's side of the retrieval explorer: the run and model it shows (a model picker), its
/// top-K images as a thumbnail grid (rank and score under each, the attack's target images in a
/// red frame) and the top-K captions of the picked image.
class RetrievalResultColumn : public QWidget {
    Q_OBJECT
public:
    explicit RetrievalResultColumn(QWidget *parent = nullptr);

    void setTitle(const QString &title);
    /// The models offered (final, initial, epoch-N) and the one shown; no modelChanged().
    void setModels(const QStringList &models, const QString &current);
    QString model() const;
    /// The gallery the results come from (thumbnails are read through its dataset).
    void setGallery(GalleryPtr gallery);
    GalleryPtr gallery() const { return m_gallery; }

    void showImages(const std::vector<experiment::ImageHit> &hits);
    void showCaptions(const std::vector<experiment::CaptionHit> &hits, const QString &imagePath);
    /// A line over the grid (empty hides it); errors in the palette's error colour.
    void showMessage(const QString &text, bool error = false);
    QString message() const;
    void clearResults();

    /// The dataset paths of the selected result images.
    QStringList selectedPaths() const;
    QListWidget *imageList() const { return m_images; }
    QListWidget *captionList() const { return m_captions; }

    static constexpr int kThumbnail = 96; ///< logical pixels

Q_SIGNALS:
    void modelChanged(const QString &model);
    void selectionChanged(const QStringList &datasetPaths);
    /// One image was picked: its top-K captions are wanted.
    void imagePicked(const QString &datasetPath);

private:
    void updateIcons(int row);
    QPixmap tile(int row, bool target);
    void onSelectionChanged();

    QLabel *m_title = nullptr;
    QComboBox *m_model = nullptr;
    QLabel *m_message = nullptr;
    QLabel *m_summary = nullptr;
    QListWidget *m_images = nullptr;
    QLabel *m_captionsTitle = nullptr;
    QListWidget *m_captions = nullptr;
    ThumbnailCache *m_thumbnails = nullptr;
    GalleryPtr m_gallery;
};

} // namespace poisonlab::ui
