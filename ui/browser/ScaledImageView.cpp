#include "browser/ScaledImageView.h"

#include <QPainter>

namespace poisonlab::ui {

ScaledImageView::ScaledImageView(QWidget *parent) : QWidget(parent)
{
    setMinimumSize(120, 90);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void ScaledImageView::setPixmap(const QPixmap &pixmap)
{
    m_pixmap = pixmap;
    updateGeometry();
    update();
}

QSize ScaledImageView::sizeHint() const
{
    return QSize(320, 240);
}

int ScaledImageView::heightForWidth(int width) const
{
    if (m_pixmap.isNull() || m_pixmap.width() == 0)
        return width * 3 / 4;
    return std::min(width * m_pixmap.height() / m_pixmap.width(), 2 * m_pixmap.height());
}

QRect ScaledImageView::pictureRect() const
{
    if (m_pixmap.isNull())
        return {};
    const QSize limit = rect().size().boundedTo(m_pixmap.size() * 2);
    const QSize shown = m_pixmap.size().scaled(limit, Qt::KeepAspectRatio);
    return QRect(QPoint((width() - shown.width()) / 2, (height() - shown.height()) / 2), shown);
}

void ScaledImageView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    if (m_pixmap.isNull())
        return;
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawPixmap(pictureRect(), m_pixmap);
}

} // namespace poisonlab::ui
