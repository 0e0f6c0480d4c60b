#include "design/TargetImagePicker.h"

#include "browser/ThumbnailCache.h"
#include "design/TargetImageModel.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace poisonlab::ui {

TargetImagePicker::TargetImagePicker(QWidget *parent)
    : QWidget(parent), m_cache(new ThumbnailCache(this)), m_model(new TargetImageModel(m_cache, this)),
      m_view(new QListView(this)), m_anyClass(new QCheckBox(tr("Any class"), this)),
      m_draw(new QPushButton(tr("Let the attack draw it"), this)), m_chosen(new QLabel(this))
{
    m_view->setObjectName(QStringLiteral("targetImageGrid"));
    m_view->setViewMode(QListView::IconMode);
    m_view->setResizeMode(QListView::Adjust);
    m_view->setMovement(QListView::Static);
    m_view->setUniformItemSizes(true);
    m_view->setIconSize(m_model->thumbnailSize());
    m_view->setGridSize(m_model->thumbnailSize() + QSize(24, 28));
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setMinimumHeight(150);
    m_view->setModel(m_model);
    m_anyClass->setObjectName(QStringLiteral("anyClass"));
    m_anyClass->setToolTip(tr("List the images of every class, not only class B's"));
    m_draw->setObjectName(QStringLiteral("drawTargetImage"));
    m_draw->setToolTip(tr("Leave x* out: the attack draws it from class B's images with its seed"));
    m_chosen->setWordWrap(true);
    m_chosen->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *top = new QHBoxLayout;
    top->addWidget(m_chosen, 1);
    top->addWidget(m_anyClass);
    top->addWidget(m_draw);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);

    connect(m_anyClass, &QCheckBox::toggled, this, &TargetImagePicker::relist);
    connect(m_draw, &QPushButton::clicked, this, [this] {
        m_value.clear();
        m_view->clearSelection();
        showChoice();
        Q_EMIT edited(m_value);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &at) {
        if (!at.isValid())
            return;
        m_value = at.data(TargetImageModel::PathRole).toString();
        showChoice();
        Q_EMIT edited(m_value);
    });
    showChoice();
}

void TargetImagePicker::setDataset(DatasetPtr dataset)
{
    m_dataset = std::move(dataset);
    relist();
}

void TargetImagePicker::setTargetClass(const QString &name)
{
    if (name == m_target)
        return;
    m_target = name;
    relist();
}

void TargetImagePicker::setSplit(const QString &split)
{
    const QString s = split.isEmpty() ? QStringLiteral("test") : split;
    if (s == m_split)
        return;
    m_split = s;
    relist();
}

void TargetImagePicker::setValue(const QString &path)
{
    m_value = path;
    const QSignalBlocker block(m_view->selectionModel());
    const int row = m_model->rowOfPath(path);
    if (row >= 0)
        m_view->setCurrentIndex(m_model->index(row));
    else
        m_view->clearSelection();
    showChoice();
}

void TargetImagePicker::setDrawnImage(const QString &path)
{
    m_drawn = path;
    showChoice();
}

void TargetImagePicker::relist()
{
    int cls = -1;
    if (m_dataset && !m_anyClass->isChecked())
        cls = m_dataset->classIndex(m_target.toStdString());
    const bool none = !m_anyClass->isChecked() && cls < 0;
    m_model->setImages(none ? DatasetPtr() : m_dataset, cls, m_split);
    setValue(m_value);
}

void TargetImagePicker::showChoice()
{
    QString where = m_anyClass->isChecked() ? tr("every class") : tr("class B (%1)").arg(m_target);
    const QString drawn = m_drawn.isEmpty() ? QString() : tr(" (the preview drew %1)").arg(m_drawn);
    if (m_value.isEmpty())
        m_chosen->setText(tr("x*: drawn by the attack with its seed%1. Or click one of the %2 images of %3, %4 split:")
                              .arg(drawn)
                              .arg(m_model->rowCount())
                              .arg(where, m_split));
    else
        m_chosen->setText(tr("x* = %1").arg(m_value));
}

} // namespace poisonlab::ui
