#include "results/ResultCells.h"

#include <QStandardItem>

#include <cmath>

namespace poisonlab::ui::ResultCells {

QStandardItem *number(double value, Format format)
{
    auto *item = new QStandardItem;
    item->setEditable(false);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    if (std::isnan(value)) {
        item->setText(QStringLiteral("–"));
        return item;
    }
    item->setData(value, Qt::UserRole);
    switch (format) {
    case Format::Percent:
        item->setText(QString::number(value * 100.0, 'f', 2));
        break;
    case Format::Points:
        item->setText((value >= 0 ? QStringLiteral("+") : QString()) + QString::number(value * 100.0, 'f', 2));
        break;
    case Format::Fixed2:
        item->setText(QString::number(value, 'f', 2));
        break;
    case Format::Fixed4:
        item->setText(QString::number(value, 'f', 4));
        break;
    case Format::Integer:
        item->setText(QString::number(std::llround(value)));
        break;
    case Format::Significant:
        item->setText(QString::number(value, 'g', 3));
        break;
    }
    return item;
}

QStandardItem *count(const std::optional<std::int64_t> &value)
{
    return number(value ? double(*value) : std::nan(""), Format::Integer);
}

QStandardItem *text(const QString &text)
{
    auto *item = new QStandardItem(text);
    item->setEditable(false);
    item->setData(text, Qt::UserRole);
    return item;
}

} // namespace poisonlab::ui::ResultCells
