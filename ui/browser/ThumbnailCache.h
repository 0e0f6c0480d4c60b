#pragma once

#include "dataset/DatasetPtr.h"

#include <QCache>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QPixmap>
#include <QSet>
#include <QSize>
#include <QThreadPool>

#include <functional>
#include <memory>

namespace poisonlab::ui {

class ThumbnailRequestQueue;

/// Decodes image thumbnails on a thread pool and keeps the recent ones in an LRU cache.
///
/// thumbnail() never blocks: it returns the cached picture, or a placeholder and queues the
/// decode; thumbnailReady() announces it (the model turns that into dataChanged for the rows of
/// that image only). Requests are served newest first and only the newest maxPending() are
/// kept, so rows scrolled away quickly lose their place to the rows now visible. Workers know
/// only an image index and a weak_ptr to the immutable dataset; results from a dataset that was
/// replaced meanwhile are dropped.
class ThumbnailCache : public QObject {
    Q_OBJECT
public:
    enum class State { Ready, Loading, Failed };

    explicit ThumbnailCache(QObject *parent = nullptr);
    ~ThumbnailCache() override;

    void setDataset(DatasetPtr dataset);
    DatasetPtr dataset() const { return m_dataset; }

    /// The thumbnail of `image` fitting in `bound` (aspect kept), or a placeholder while it loads
    /// (or a "broken" picture when it cannot be read).
    QPixmap thumbnail(int image, QSize bound, State *state = nullptr);
    bool contains(int image, QSize bound) const;
    /// Why `image` could not be decoded at `bound` (empty when it could, or is not done).
    QString errorString(int image, QSize bound) const;

    /// Thumbnails are decoded at `bound` × this ratio and carry it, so they are sharp on a HiDPI
    /// screen (the window passes its devicePixelRatioF()); bounds stay in logical pixels.
    /// Changing it drops the cache. Default 1.
    void setDevicePixelRatio(qreal ratio);
    qreal devicePixelRatio() const { return m_ratio; }

    void setCacheLimit(qint64 bytes); ///< default 192 MiB
    void setMaxPending(int count);    ///< default 256
    int maxPending() const;
    int pendingCount() const; ///< queued plus in flight
    QThreadPool *threadPool() { return &m_pool; }

    /// Reads `path` scaled to fit `bound`, honouring EXIF orientation; null image + error on failure.
    static QImage decode(const QString &path, QSize bound, QString *error = nullptr);
    /// The grey box shown while a picture loads.
    static QPixmap placeholder(QSize bound, bool broken);

Q_SIGNALS:
    void thumbnailReady(int image, QSize bound);
    /// Nothing queued or decoding any more.
    void idle();

private:
    struct Key {
        int image;
        int width;
        int height;
        bool operator==(const Key &o) const { return image == o.image && width == o.width && height == o.height; }
    };
    friend size_t qHash(const Key &key, size_t seed) noexcept
    {
        return qHashMulti(seed, key.image, key.width, key.height);
    }

    void deliver(quint64 generation, int image, QSize bound, const QImage &picture, const QString &error);
    void startWorkers();
    std::function<void()> makeWorker(); ///< one decoder: takes requests until the queue is empty
    QSize deviceBound(QSize bound) const;

    DatasetPtr m_dataset;
    quint64 m_generation = 0;
    qreal m_ratio = 1.0;
    QCache<Key, QPixmap> m_cache;
    QHash<Key, QString> m_failed;
    QThreadPool m_pool;
    std::shared_ptr<ThumbnailRequestQueue> m_queue;
};

} // namespace poisonlab::ui
