#pragma once

#include "dataset/DatasetPtr.h"

#include <QSize>
#include <QWidget>

class QFrame;
class QLabel;
class QListWidget;

namespace poisonlab::ui {

class PairTableModel;
class ScaledImageView;
class ThumbnailCache;

/// Everything about the selected pair: the full image (scaled to fit), all captions of that
/// image, its label, categories and split, and for a poisoned pair the image its caption was
/// written for. Pictures come from the shared ThumbnailCache at a large size, so they decode
/// in the background too.
class PairDetailPane : public QWidget {
    Q_OBJECT
public:
    static constexpr QSize kImageSize{1024, 1024};

    PairDetailPane(ThumbnailCache *thumbnails, const PairTableModel *pairs, QWidget *parent = nullptr);

    /// Shows a caption (index into Dataset::captions); -1 clears the pane.
    void showCaption(int caption);
    int caption() const { return m_caption; }
    int image() const { return m_image; }

    ScaledImageView *imageView() const { return m_picture; }
    QListWidget *captionList() const { return m_captions; }
    QLabel *infoLabel() const { return m_info; }
    QLabel *poisonLabel() const { return m_poisonText; }

private:
    void onThumbnailReady(int image, QSize size);

    ThumbnailCache *m_thumbnails;
    const PairTableModel *m_pairs;
    int m_caption = -1;
    int m_image = -1;
    int m_originalImage = -1;
    QLabel *m_title;
    ScaledImageView *m_picture;
    QLabel *m_info;
    QFrame *m_poisonBox;
    QLabel *m_poisonText;
    ScaledImageView *m_originalPicture;
    QListWidget *m_captions;
    QLabel *m_empty;
};

} // namespace poisonlab::ui
