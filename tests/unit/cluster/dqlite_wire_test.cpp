// tests/unit/cluster/dqlite_wire_test.cpp - field encodings (words, text, blobs, parameter and row
// tuples) against bytes written out by hand from the protocol description.
#include "cluster/dqlite_wire.hpp"
#include "common/error.hpp"

#include "cluster_test_support.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <functional>

namespace microcloud::host::cluster {
namespace {

using testing::bytes;
using testing::Bytes;
using testing::text;
using testing::word;

TEST(DqliteWire, WordsAreLittleEndian) {
    WireWriter writer;
    writer.put_uint64(0x0102030405060708ULL);
    writer.put_uint32(0x0a0b0c0d);
    writer.put_uint32(1);
    writer.put_int64(-2);
    EXPECT_EQ(writer.bytes(), (Bytes{0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,  //
                                     0x0d, 0x0c, 0x0b, 0x0a, 0x01, 0x00, 0x00, 0x00,  //
                                     0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}));

    WireReader reader(writer.bytes());
    EXPECT_EQ(reader.get_uint64(), 0x0102030405060708ULL);
    EXPECT_EQ(reader.get_uint32(), 0x0a0b0c0du);
    EXPECT_EQ(reader.get_uint32(), 1u);
    EXPECT_EQ(reader.get_int64(), -2);
    EXPECT_TRUE(reader.at_end());
}

TEST(DqliteWire, TextIsZeroTerminatedAndPaddedToWholeWords) {
    WireWriter writer;
    writer.put_text("");                                                    // just the terminator: one word
    writer.put_text("1234567");                                             // 7 + terminator: exactly one word
    writer.put_text("12345678");                                            // 8 + terminator: two words
    EXPECT_EQ(writer.bytes(), (Bytes{0,   0,   0,   0,   0,   0,   0,   0,  //
                                     '1', '2', '3', '4', '5', '6', '7', 0,  //
                                     '1', '2', '3', '4', '5', '6', '7', '8', 0, 0, 0, 0, 0, 0, 0, 0}));
    WireReader reader(writer.bytes());
    EXPECT_EQ(reader.get_text(), "");
    EXPECT_EQ(reader.get_text(), "1234567");
    EXPECT_EQ(reader.get_text(), "12345678");
    EXPECT_TRUE(reader.at_end());
}

TEST(DqliteWire, TextWithAZeroByteIsRefused) {
    WireWriter writer;
    try {
        writer.put_text(std::string("a\0b", 3));
        FAIL() << "expected dqlite_invalid_value";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "dqlite_invalid_value");
        EXPECT_NE(std::string(error.what()).find("offset 1"), std::string::npos) << error.what();
    }
}

TEST(DqliteWire, BlobIsALengthWordThenPaddedBytes) {
    WireWriter writer;
    writer.put_blob(Blob{0xde, 0xad, 0xbe});
    EXPECT_EQ(writer.bytes(), bytes({word(3), {0xde, 0xad, 0xbe, 0, 0, 0, 0, 0}}));
    WireReader reader(writer.bytes());
    EXPECT_EQ(reader.get_blob(), (Blob{0xde, 0xad, 0xbe}));
    EXPECT_TRUE(reader.at_end());
}

TEST(DqliteWire, ParameterTupleHasACountByteThenOneTypeBytePerValue) {
    WireWriter writer;
    writer.put_params({std::int64_t{7}, std::string("hi"), Null{}});
    // count 3, types integer(1) text(3) null(5), zero padding to the word.
    EXPECT_EQ(writer.bytes(), bytes({{3, 1, 3, 5, 0, 0, 0, 0}, word(7), text("hi"), word(0)}));
}

TEST(DqliteWire, EmptyParameterTupleIsOneZeroWord) {
    WireWriter writer;
    writer.put_params({});
    EXPECT_EQ(writer.bytes(), word(0));
    WireReader reader(writer.bytes());
    EXPECT_TRUE(reader.get_params().empty());
    EXPECT_TRUE(reader.at_end());
}

TEST(DqliteWire, EightParametersNeedASecondHeaderWord) {
    std::vector<Value> params(8, Value{std::int64_t{1}});
    WireWriter writer;
    writer.put_params(params);
    Bytes expected = {8, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
    for (int i = 0; i < 8; ++i) {
        expected = bytes({expected, word(1)});
    }
    EXPECT_EQ(writer.bytes(), expected);
    WireReader reader(writer.bytes());
    EXPECT_EQ(reader.get_params(), params);
}

TEST(DqliteWire, EveryParameterTypeRoundTrips) {
    const std::vector<Value> params{std::int64_t{-42},
                                    2.5,
                                    std::string("text"),
                                    Blob{1, 2, 3, 4, 5, 6, 7, 8, 9},
                                    Null{},
                                    true,
                                    Iso8601{"2024-05-01T10:00:00Z"}};
    WireWriter writer;
    writer.put_params(params);
    WireReader reader(writer.bytes());
    EXPECT_EQ(reader.get_params(), params);
    EXPECT_TRUE(reader.at_end());
}

TEST(DqliteWire, UnixTimeParameterTravelsAsAnInteger) {
    WireWriter writer;
    writer.put_params({UnixTime{1700000000}});
    EXPECT_EQ(writer.bytes(), bytes({{1, 1, 0, 0, 0, 0, 0, 0}, word(1700000000)}));
}

TEST(DqliteWire, BooleanAndFloatEncodings) {
    WireWriter writer;
    writer.put_params({false, true, 1.0});
    EXPECT_EQ(writer.bytes(),
              bytes({{3, 11, 11, 2, 0, 0, 0, 0}, word(0), word(1), word(std::bit_cast<std::uint64_t>(1.0))}));
}

TEST(DqliteWire, RowTupleHasFourBitTypeCodes) {
    WireWriter writer;
    writer.put_row({std::int64_t{1}, std::string("a"), Null{}});
    // Slots: integer(1) in the low nibble, text(3) in the high one; then null(5).
    EXPECT_EQ(writer.bytes(), bytes({{0x31, 0x05, 0, 0, 0, 0, 0, 0}, word(1), text("a"), word(0)}));
    WireReader reader(writer.bytes());
    EXPECT_EQ(reader.get_row(3), (Row{std::int64_t{1}, std::string("a"), Null{}}));
    EXPECT_TRUE(reader.at_end());
}

TEST(DqliteWire, RowOfSeventeenValuesHasATwoWordHeader) {
    Row row(17, Value{std::int64_t{9}});
    row[16] = true;
    WireWriter writer;
    writer.put_row(row);
    Bytes header = {0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0b, 0, 0, 0, 0, 0, 0, 0};
    EXPECT_EQ(Bytes(writer.bytes().begin(), writer.bytes().begin() + 16), header);
    EXPECT_EQ(writer.bytes().size(), 16u + 17u * 8u);
    WireReader reader(writer.bytes());
    EXPECT_EQ(reader.get_row(17), row);
}

TEST(DqliteWire, RowWithTimeTypesDecodes) {
    // unix time (9) and ISO-8601 (10) come from DATETIME columns.
    const Bytes frame = bytes({{0xa9, 0, 0, 0, 0, 0, 0, 0}, word(1700000000), text("2024-05-01 10:00:00")});
    WireReader reader(frame);
    EXPECT_EQ(reader.get_row(2), (Row{UnixTime{1700000000}, Iso8601{"2024-05-01 10:00:00"}}));
}

void expect_protocol_error(const Bytes& frame, const std::function<void(WireReader&)>& read,
                           const std::string& fragment) {
    WireReader reader(frame);
    try {
        read(reader);
        FAIL() << "expected dqlite_protocol";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "dqlite_protocol");
        EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
    }
}

TEST(DqliteWire, MalformedFieldsAreRejectedWithTheirOffset) {
    expect_protocol_error(
        {1, 2, 3}, [](WireReader& r) { r.get_uint64(); }, "needs 8 bytes, only 3 left");
    expect_protocol_error(
        {'a', 'b', 'c'}, [](WireReader& r) { r.get_text(); }, "no terminating zero byte");
    expect_protocol_error(
        {'a', 0}, [](WireReader& r) { r.get_text(); }, "padded text");
    expect_protocol_error(
        bytes({word(100), word(0)}), [](WireReader& r) { r.get_blob(); }, "claims 100 bytes");
    expect_protocol_error(
        {0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, [](WireReader& r) { r.get_row(1); },
        "unknown value type code 7");
}

}  // namespace
}  // namespace microcloud::host::cluster
