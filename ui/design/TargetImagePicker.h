#pragma once

#include "dataset/DatasetPtr.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QListView;
class QPushButton;

namespace poisonlab::ui {

class TargetImageModel;
class ThumbnailCache;

/// Picks Attack I's target image x*: a thumbnail grid of class B's images in the split x* is
/// drawn from (or of every class, "Any class"), and "Let the attack draw it", which leaves the
/// option out so the attack draws x* with its seed. value() is the chosen image's path relative
/// to the dataset root (what the plugin's target_image resolves), empty when drawn.
class TargetImagePicker : public QWidget {
    Q_OBJECT
public:
    explicit TargetImagePicker(QWidget *parent = nullptr);

    void setDataset(DatasetPtr dataset);
    void setTargetClass(const QString &name); ///< class B
    void setSplit(const QString &split);      ///< where x* comes from ("test" by default)
    QString value() const { return m_value; }
    void setValue(const QString &path); ///< silent; a path not listed is kept and shown
    /// The image the attack drew for x* (the preview's), named while none is chosen ("" = unknown).
    void setDrawnImage(const QString &path);
    QListView *view() const { return m_view; }
    QCheckBox *anyClassBox() const { return m_anyClass; }
    TargetImageModel *model() const { return m_model; }

Q_SIGNALS:
    void edited(const QString &path);

private:
    void relist();
    void showChoice();

    ThumbnailCache *m_cache;
    TargetImageModel *m_model;
    QListView *m_view;
    QCheckBox *m_anyClass;
    QPushButton *m_draw;
    QLabel *m_chosen;
    DatasetPtr m_dataset;
    QString m_target;
    QString m_split = QStringLiteral("test");
    QString m_value;
    QString m_drawn;
};

} // namespace poisonlab::ui
