package search

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// A deterministic, multilingual corpus for benchmarks: chat messages of a
// few words to a few lines, e-mails, pages of long documents, identifiers
// sprinkled in. Same seed, same corpus, on every machine.

type langVocab struct {
	lang   string
	spaced bool // words separated by spaces
	words  []string
	weight int
}

var vocab = []langVocab{
	{"en", true, strings.Fields("the a to and of in for on with at from by about money passport boat broker recruiter worker workers job jobs salary debt transfer account bank phone police border visa factory fishing farm send sent pay paid tomorrow tonight today meet car truck house room girls boys agent contract papers document documents deliver delivery cash invoice transport shelter hotel massage karaoke club permit fake stamp airport bus night morning week month told said will must can cannot need want"), 35},
	{"th", false, strings.Fields("นายจ้าง หนังสือเดินทาง แรงงาน เรือประมง ค่าจ้าง เงิน โอน บัญชี ธนาคาร ตำรวจ ชายแดน วีซ่า โรงงาน พรุ่งนี้ คืนนี้ วันนี้ เจอ รถ บ้าน ห้อง นายหน้า สัญญา เอกสาร ส่ง จ่าย หนี้ งาน ที่พัก คาราโอเกะ ปลอม สนามบิน ได้ ไม่ ต้อง จะ และ ของ ที่ ให้"), 15},
	{"vi", true, strings.Fields("tiền hộ chiếu thuyền môi giới công nhân việc làm lương nợ chuyển tài khoản ngân hàng điện thoại công an biên giới thị thực nhà máy đánh cá ngày mai tối nay hôm nay gặp xe nhà phòng hợp đồng giấy tờ gửi trả khách sạn sân bay và của cho với ở đi không phải sẽ"), 10},
	{"id", true, strings.Fields("uang paspor kapal agen perekrut pekerja pekerjaan gaji utang transfer rekening bank telepon polisi perbatasan visa pabrik ikan besok malam ini hari bertemu mobil rumah kamar kontrak dokumen kirim bayar penampungan bandara dan yang di ke dari untuk tidak harus akan"), 10},
	{"ms", true, strings.Fields("wang pasport bot ejen pekerja kerja gaji hutang pindahan akaun bank telefon polis sempadan permit kilang esok malam ini jumpa kereta rumah bilik kontrak dokumen hantar bayar mangsa pemerdagangan orang dan yang di ke dari untuk tidak"), 5},
	{"fil", true, strings.Fields("pera pasaporte bangka ahente manggagawa trabaho sahod utang padala account bangko telepono pulis hangganan pabrika bukas ngayong gabi kita kotse bahay kuwarto kontrata dokumento bayad biktima ang ng sa mga at hindi kailangan"), 5},
	{"km", false, strings.Fields("លុយ លិខិតឆ្លងដែន ទូក មេខ្យល់ កម្មករ ការងារ ប្រាក់ឈ្នួល បំណុល ផ្ទេរ គណនី ធនាគារ ប៉ូលីស ព្រំដែន រោងចក្រ ស្អែក យប់នេះ ជួប ឡាន ផ្ទះ បន្ទប់ កិច្ចសន្យា ឯកសារ ផ្ញើ បង់ ជនរងគ្រោះ ប្រទេសថៃ និង"), 5},
	{"lo", false, strings.Fields("ເງິນ ໜັງສືຜ່ານແດນ ເຮືອ ນາຍໜ້າ ກຳມະກອນ ວຽກ ເງິນເດືອນ ໜີ້ ໂອນ ບັນຊີ ທະນາຄານ ຕຳຫຼວດ ຊາຍແດນ ໂຮງງານ ມື້ອື່ນ ຄືນນີ້ ພົບ ລົດ ເຮືອນ ຫ້ອງ ສັນຍາ ເອກະສານ ສົ່ງ ຈ່າຍ ປະເທດໄທ ແມ່ຍິງ"), 3},
	{"my", false, strings.Fields("ပိုက်ဆံ ပတ်စ်ပို့ ငါးဖမ်းလှေ ပွဲစား အလုပ်သမား အလုပ် လစာ အကြွေး လွှဲ ဘဏ်စာရင်း ဘဏ် ရဲ နယ်စပ် စက်ရုံ မနက်ဖြန် ဒီည တွေ့ ကား အိမ် အခန်း စာချုပ် စာရွက်စာတမ်း ပို့ ပေး ထိုင်း"), 5},
	{"zh", false, strings.Fields("钱 护照 渔船 中介 工人 工作 工资 债务 转账 账户 银行 电话 警察 边境 签证 工厂 明天 今晚 今天 见面 车 房子 房间 合同 文件 发送 付款 机场 的 了 在 和"), 7},
}

var names = strings.Fields("Somchai Kanya Nguyen Minh Thanh Hoang Siti Nurhaliza Budi Santoso Ahmad Rahman Maria Santos Juan Cruz Sokha Vanna Bounmy Khamla Aung Kyaw Thida Zaw Wei Chen Li Na Malee Suda Preecha Tran Pham Dewi Wati")

// genCorpus returns n chunks. Case ids c0..c199, items i<k>, dates over
// 2019-2025.
func genCorpus(n int) ([]Document, int64) {
	docs := make([]Document, 0, n)
	size := streamCorpus(n, func(d Document) { docs = append(docs, d) })
	return docs, size
}

// streamCorpus generates the same n chunks as genCorpus one at a time, so
// that a benchmark can index a large corpus without holding it in memory.
// It returns the bytes of text generated.
func streamCorpus(n int, yield func(Document)) int64 {
	r := rand.New(rand.NewPCG(20261127, uint64(n)))
	total := 0
	for _, v := range vocab {
		total += v.weight
	}
	pickLang := func() *langVocab {
		x := r.IntN(total)
		for i := range vocab {
			if x < vocab[i].weight {
				return &vocab[i]
			}
			x -= vocab[i].weight
		}
		return &vocab[0]
	}
	base := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	var size int64
	var sb strings.Builder
	item, chunk, count := 0, 0, 0
	for count < n {
		kindRoll := r.IntN(100)
		var words, chunks int
		var typ string
		switch {
		case kindRoll < 60:
			typ, words, chunks = "chat", 3+r.IntN(40), 1+r.IntN(30)
		case kindRoll < 85:
			typ, words, chunks = "email", 50+r.IntN(150), 1
		default:
			typ, words, chunks = "document", 200+r.IntN(300), 2+r.IntN(40)
		}
		caseID := fmt.Sprintf("c%d", r.IntN(200))
		item++
		date := base.Add(time.Duration(r.IntN(7*365*24)) * time.Hour)
		for c := 0; c < chunks && count < n; c++ {
			lv := pickLang()
			sb.Reset()
			for w := 0; w < words; w++ {
				if w > 0 && (lv.spaced || r.IntN(6) == 0) {
					sb.WriteByte(' ')
				}
				switch x := r.IntN(100); {
				case x < 4:
					sb.WriteString(names[r.IntN(len(names))])
				case x == 4 && r.IntN(3) == 0:
					sb.WriteString(randomIdent(r))
				default:
					sb.WriteString(lv.words[r.IntN(len(lv.words))])
				}
			}
			text := sb.String()
			chunk = c
			d := Document{
				CaseID: caseID, Kind: KindEvidence, ItemID: fmt.Sprintf("i%d", item), Chunk: chunk,
				Date: date.Add(time.Duration(c) * time.Minute), Lang: lv.lang, Text: text,
				Fields: map[string]string{FieldType: typ},
			}
			if typ == "email" {
				d.Title = "Re: " + lv.words[r.IntN(len(lv.words))] + " " + names[r.IntN(len(names))]
			}
			yield(d)
			count++
			size += int64(len(text) + len(d.Title))
		}
	}
	return size
}

func randomIdent(r *rand.Rand) string {
	switch r.IntN(4) {
	case 0:
		return fmt.Sprintf("+66 8%d %03d %04d", r.IntN(10), r.IntN(1000), r.IntN(10000))
	case 1:
		return fmt.Sprintf("09%08d", r.IntN(100000000))
	case 2:
		return fmt.Sprintf("%s%d@mail.example", strings.ToLower(names[r.IntN(len(names))]), r.IntN(100))
	default:
		return fmt.Sprintf("%03d-%d-%05d-%d", r.IntN(1000), r.IntN(10), r.IntN(100000), r.IntN(10))
	}
}
