#pragma once

#include <QPixmap>
#include <QWidget>

namespace poisonlab::ui {

/// Shows a picture scaled to fit the widget, aspect ratio kept, centred; never upscaled beyond 2x.
class ScaledImageView : public QWidget {
    Q_OBJECT
public:
    explicit ScaledImageView(QWidget *parent = nullptr);

    void setPixmap(const QPixmap &pixmap);
    const QPixmap &pixmap() const { return m_pixmap; }
    /// The rectangle the picture occupies now (for tests).
    QRect pictureRect() const;

    QSize sizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QPixmap m_pixmap;
};

} // namespace poisonlab::ui
