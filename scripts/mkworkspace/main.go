// Command mkworkspace makes a throwaway workspace full of synthetic, clearly
// fictional cases, for screenshots and demos:
//
//	CASEVAULT_PASSPHRASE='…' go run ./scripts/mkworkspace DIR
//
// DIR must not exist or be empty. Never point it at real data.
package main

import (
	"context"
	"fmt"
	"os"

	"casevault/casefile"
)

// demoCases are invented: names, places and events are fictional.
var demoCases = []casefile.CaseInfo{
	{
		Ref: "DEMO-2026-001", Title: "Operation Harbour Light (fictional)", Status: casefile.StatusInvestigation,
		Exploitation: []casefile.Exploitation{casefile.ExploitationLabour}, FastTrack: true,
		Jurisdictions: []casefile.Jurisdiction{
			{Country: "KH", Role: casefile.RoleOrigin}, {Country: "TH", Role: casefile.RoleTransit}, {Country: "MY", Role: casefile.RoleDestination},
		},
		LeadProsecutor: "Prosecutor A. Example", Opened: casefile.MustDate("2026-01-15"),
		Summary: "Synthetic demo case. Fishing crews recruited with false job offers, " +
			"held on vessels for months without pay. Financial records and chat logs requested.",
		Tags: []string{"demo", "fishing", "forced labour"},
	},
	{
		Ref: "DEMO-2026-002", Title: "ปฏิบัติการแสงจันทร์ (คดีสมมติ)", Status: casefile.StatusCharged,
		Exploitation:   []casefile.Exploitation{casefile.ExploitationSexual},
		Jurisdictions:  []casefile.Jurisdiction{{Country: "LA", Role: casefile.RoleOrigin}, {Country: "TH", Role: casefile.RoleDestination}},
		LeadProsecutor: "อัยการ สมมติ ตัวอย่าง", Opened: casefile.MustDate("2025-11-02"),
		Summary: "คดีตัวอย่างเพื่อการสาธิตเท่านั้น ข้อมูลทั้งหมดเป็นเรื่องสมมติ", Tags: []string{"demo", "online recruitment"},
	},
	{
		Ref: "DEMO-2026-003", Title: "ប្រតិបត្តិការទន្លេ (ករណីប្រឌិត)", Status: casefile.StatusTrial,
		Exploitation: []casefile.Exploitation{casefile.ExploitationLabour, casefile.ExploitationOther}, FastTrack: true,
		Jurisdictions:  []casefile.Jurisdiction{{Country: "KH", Role: casefile.RoleOrigin}, {Country: "CN", Role: casefile.RoleDestination}},
		LeadProsecutor: "ព្រះរាជអាជ្ញា ឧទាហរណ៍", Opened: casefile.MustDate("2025-06-20"),
		Summary: "ករណីសាកល្បងសម្រាប់ការបង្ហាញ។", Tags: []string{"demo", "scam compound"},
	},
	{
		Ref: "DEMO-2026-004", Title: "Chiến dịch Sông Mê Kông (hư cấu)", Status: casefile.StatusIntake,
		Exploitation:   []casefile.Exploitation{casefile.ExploitationSexual, casefile.ExploitationLabour},
		Jurisdictions:  []casefile.Jurisdiction{{Country: "VN", Role: casefile.RoleOrigin}, {Country: "KH", Role: casefile.RoleTransit}},
		LeadProsecutor: "Kiểm sát viên Nguyễn Văn Mẫu", Opened: casefile.MustDate("2026-02-03"),
		Summary: "Vụ án mẫu, hoàn toàn hư cấu, chỉ dùng để trình diễn.", Tags: []string{"demo"},
	},
	{
		Ref: "DEMO-2025-017", Title: "湄公河行动（虚构案例）", Status: casefile.StatusAppeal,
		Exploitation:   []casefile.Exploitation{casefile.ExploitationOrgan},
		Jurisdictions:  []casefile.Jurisdiction{{Country: "MM", Role: casefile.RoleOrigin}, {Country: "CN", Role: casefile.RoleDestination}},
		LeadProsecutor: "检察官 示例", Opened: casefile.MustDate("2025-03-11"),
		Summary: "虚构的演示案例。", Tags: []string{"demo", "organ removal"},
	},
	{
		Ref: "DEMO-2024-009", Title: "Operation Quiet Orchard (fictional)", Status: casefile.StatusClosed,
		Exploitation:   []casefile.Exploitation{casefile.ExploitationLabour},
		Jurisdictions:  []casefile.Jurisdiction{{Country: "ID", Role: casefile.RoleOrigin}, {Country: "MY", Role: casefile.RoleDestination}},
		LeadProsecutor: "Prosecutor B. Sample", Opened: casefile.MustDate("2024-04-08"), Closed: casefile.MustDate("2025-09-30"),
		Summary: "Synthetic closed case: plantation workers, debt bondage. Convictions upheld.", Tags: []string{"demo", "plantation"},
	},
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: CASEVAULT_PASSPHRASE=... mkworkspace DIR")
		os.Exit(2)
	}
	pass := os.Getenv("CASEVAULT_PASSPHRASE")
	if pass == "" {
		fmt.Fprintln(os.Stderr, "mkworkspace: set CASEVAULT_PASSPHRASE")
		os.Exit(2)
	}
	if err := run(os.Args[1], []byte(pass)); err != nil {
		fmt.Fprintf(os.Stderr, "mkworkspace: %v\n", err)
		os.Exit(1)
	}
}

func run(dir string, pass []byte) error {
	// A low work factor: the data is fictional and the folder thrown away.
	w, _, err := casefile.Create(dir, pass, casefile.CreateOptions{WorkFactor: 12})
	if err != nil {
		return err
	}
	ctx := context.Background()
	for _, ci := range demoCases {
		c, err := w.CreateCase(ctx, ci)
		if err != nil {
			w.Close()
			return fmt.Errorf("case %s: %w", ci.Ref, err)
		}
		if ci.Ref == "DEMO-2026-001" {
			if err := seedRegister(ctx, c); err != nil {
				c.Close()
				w.Close()
				return fmt.Errorf("case %s: %w", ci.Ref, err)
			}
		}
		if err := c.Close(); err != nil {
			w.Close()
			return err
		}
	}
	return w.Close()
}
