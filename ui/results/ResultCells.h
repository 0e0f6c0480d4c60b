#pragma once

#include <QString>

#include <cstdint>
#include <optional>

class QStandardItem;

namespace poisonlab::ui {

/// The cells of the result tables (run viewer, run comparison): a number cell shows a rounded
/// text and keeps the exact value in Qt::UserRole (invalid, and the text "–", when absent: NaN
/// or no count), so tests compare the files' numbers and sorting sorts numbers.
namespace ResultCells {

enum class Format {
    Percent,     ///< a ratio shown in percent, "93.33"
    Points,      ///< a difference of ratios in percentage points, signed: "+86.67"
    Fixed2,      ///< "1.26"
    Fixed4,      ///< "0.8542"
    Integer,     ///< "4800"
    Significant, ///< "1e-05", "0.5"
};

QStandardItem *number(double value, Format format);
QStandardItem *count(const std::optional<std::int64_t> &value);
/// A text cell; its Qt::UserRole holds the text too, so that sorting by UserRole sorts it.
QStandardItem *text(const QString &text);

} // namespace ResultCells

} // namespace poisonlab::ui
