#include "browser/ThumbnailCache.h"

#include "browser/ThumbnailRequestQueue.h"
#include "jobs/HandOff.h"

#include <QImageReader>
#include <QPainter>
#include <QPainterPath>
#include <QThread>

#include <algorithm>

namespace poisonlab::ui {

ThumbnailCache::ThumbnailCache(QObject *parent) : QObject(parent), m_queue(std::make_shared<ThumbnailRequestQueue>())
{
    m_cache.setMaxCost(192 * 1024); // in KiB
    // Two decoders: the machines this targets are small, and the GUI thread needs a core too.
    m_pool.setMaxThreadCount(std::clamp(QThread::idealThreadCount(), 1, 2));
    m_pool.setObjectName(QStringLiteral("ThumbnailDecoders"));
}

ThumbnailCache::~ThumbnailCache()
{
    // Workers post results to this object: let them finish before it goes away.
    m_queue->clear();
    m_pool.waitForDone();
}

void ThumbnailCache::setDataset(DatasetPtr dataset)
{
    m_dataset = std::move(dataset);
    ++m_generation;
    m_queue->clear();
    m_cache.clear();
    m_failed.clear();
}

void ThumbnailCache::setDevicePixelRatio(qreal ratio)
{
    ratio = ratio > 0 ? ratio : 1.0;
    if (qFuzzyCompare(ratio, m_ratio))
        return;
    m_ratio = ratio;
    setDataset(m_dataset); // the cached pictures have the old ratio's size
}

QSize ThumbnailCache::deviceBound(QSize bound) const
{
    return qFuzzyCompare(m_ratio, 1.0) ? bound : (QSizeF(bound) * m_ratio).toSize();
}

void ThumbnailCache::setCacheLimit(qint64 bytes)
{
    m_cache.setMaxCost(static_cast<qsizetype>(std::max<qint64>(1, bytes / 1024)));
}

void ThumbnailCache::setMaxPending(int count)
{
    m_queue->setLimit(count);
}

int ThumbnailCache::maxPending() const
{
    return m_queue->limit();
}

int ThumbnailCache::pendingCount() const
{
    return m_queue->pending();
}

bool ThumbnailCache::contains(int image, QSize bound) const
{
    const QSize device = deviceBound(bound);
    return m_cache.contains(Key{image, device.width(), device.height()});
}

QString ThumbnailCache::errorString(int image, QSize bound) const
{
    const QSize device = deviceBound(bound);
    return m_failed.value(Key{image, device.width(), device.height()});
}

// The cache works in device pixels; callers and thumbnailReady() in logical ones.
QPixmap ThumbnailCache::thumbnail(int image, QSize bound, State *state)
{
    const QSize device = deviceBound(bound);
    const Key key{image, device.width(), device.height()};
    if (const QPixmap *cached = m_cache.object(key)) {
        if (state)
            *state = State::Ready;
        return *cached;
    }
    const bool known = m_dataset && image >= 0 && static_cast<size_t>(image) < m_dataset->images.size();
    if (!known || m_failed.contains(key)) {
        if (state)
            *state = State::Failed;
        return placeholder(bound, true);
    }
    m_queue->push(ThumbnailRequest{m_dataset, m_generation, image, device});
    startWorkers();
    if (state)
        *state = State::Loading;
    return placeholder(bound, false);
}

void ThumbnailCache::startWorkers()
{
    while (m_queue->wantsWorker(m_pool.maxThreadCount())) {
        HandOff::post([&] { m_pool.start(makeWorker()); });
    }
}

std::function<void()> ThumbnailCache::makeWorker()
{
    return [queue = m_queue, self = this] {
        HandOff::received(); // before the captures are read (the pool's queue is a Qt one)
        while (std::optional<ThumbnailRequest> request = queue->popOrExit()) {
            QImage picture;
            QString error;
            if (DatasetPtr dataset = request->dataset.lock()) {
                const auto path = dataset->imagePath(request->image);
                picture = decode(QString::fromStdString(path.string()), request->bound, &error);
            } else {
                error = QStringLiteral("the dataset was closed");
            }
            queue->finished();
            // Queued to the cache's thread; the cache waits for this pool before dying.
            HandOff::post([&] {
                QMetaObject::invokeMethod(
                    self,
                    [self, generation = request->generation, image = request->image, bound = request->bound,
                     picture = std::move(picture), error] { self->deliver(generation, image, bound, picture, error); },
                    Qt::QueuedConnection);
            });
        }
    };
}

void ThumbnailCache::deliver(quint64 generation, int image, QSize bound, const QImage &picture, const QString &error)
{
    if (generation == m_generation) {
        const Key key{image, bound.width(), bound.height()};
        if (picture.isNull()) {
            m_failed.insert(key, error.isEmpty() ? QStringLiteral("cannot be read") : error);
        } else {
            const qsizetype cost = std::max<qsizetype>(1, picture.sizeInBytes() / 1024);
            auto *pixmap = new QPixmap(QPixmap::fromImage(picture));
            pixmap->setDevicePixelRatio(m_ratio); // once here, not per paint (it would copy)
            m_cache.insert(key, pixmap, std::min(cost, m_cache.maxCost()));
        }
        Q_EMIT thumbnailReady(image, qFuzzyCompare(m_ratio, 1.0) ? bound : (QSizeF(bound) / m_ratio).toSize());
    }
    if (m_queue->pending() == 0)
        Q_EMIT idle();
}

QImage ThumbnailCache::decode(const QString &path, QSize bound, QString *error)
{
    QImageReader reader(path);
    reader.setAutoTransform(true); // EXIF orientation
    const QSize stored = reader.size();
    if (stored.isValid() && bound.isValid()) {
        // The scaled size applies before the EXIF rotation: fit the rotated picture, then turn
        // the target back.
        const bool quarterTurn = reader.transformation() & QImageIOHandler::TransformationRotate90;
        QSize shown = quarterTurn ? stored.transposed() : stored;
        if (shown.width() > bound.width() || shown.height() > bound.height()) {
            QSize target = shown.scaled(bound, Qt::KeepAspectRatio).expandedTo(QSize(1, 1));
            reader.setScaledSize(quarterTurn ? target.transposed() : target);
        }
    }
    QImage image = reader.read();
    if (image.isNull()) {
        if (error)
            *error = reader.errorString();
        return {};
    }
    if (bound.isValid() && (image.width() > bound.width() || image.height() > bound.height()))
        image = image.scaled(bound, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    return image.convertToFormat(QImage::Format_ARGB32_Premultiplied);
}

QPixmap ThumbnailCache::placeholder(QSize bound, bool broken)
{
    static QHash<quint64, QPixmap> made; // GUI thread only
    const quint64 key = (quint64(quint32(bound.width())) << 33) | (quint64(quint32(bound.height())) << 1) | broken;
    auto it = made.constFind(key);
    if (it != made.constEnd())
        return *it;
    const QSize size = bound.isValid() ? bound : QSize(128, 128);
    QPixmap pixmap(size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF box = QRectF(QPointF(0, 0), QSizeF(size)).adjusted(4, 4, -4, -4);
    p.setPen(QPen(QColor(0, 0, 0, 40), 1));
    p.setBrush(QColor(0, 0, 0, 18));
    p.drawRoundedRect(box, 6, 6);
    const qreal r = std::min(box.width(), box.height()) / 6;
    const QPointF c = box.center();
    if (broken) {
        p.setPen(QPen(QColor(190, 60, 60, 170), std::max<qreal>(2, r / 3)));
        p.drawLine(c + QPointF(-r, -r), c + QPointF(r, r));
        p.drawLine(c + QPointF(-r, r), c + QPointF(r, -r));
    } else {
        // A small "picture" glyph: frame, sun and hill.
        p.setPen(QPen(QColor(0, 0, 0, 60), 1.5));
        p.setBrush(Qt::NoBrush);
        const QRectF frame(c.x() - 1.4 * r, c.y() - r, 2.8 * r, 2 * r);
        p.drawRoundedRect(frame, 2, 2);
        p.setBrush(QColor(0, 0, 0, 40));
        p.drawEllipse(QPointF(frame.left() + frame.width() * 0.7, frame.top() + frame.height() * 0.3), r / 4, r / 4);
        QPainterPath hill;
        hill.moveTo(frame.bottomLeft());
        hill.lineTo(frame.left() + frame.width() * 0.35, frame.top() + frame.height() * 0.45);
        hill.lineTo(frame.left() + frame.width() * 0.6, frame.bottom());
        hill.closeSubpath();
        p.drawPath(hill);
    }
    p.end();
    made.insert(key, pixmap);
    return pixmap;
}

} // namespace poisonlab::ui
